import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

describe("CSV cells", () => {
  it("quotes what needs it and defuses formulas", () => {
    expect(csvLine(["a", 1, null, undefined, 'say "hi"', "x,y", "l1\nl2"])).toBe('a,1,,,"say ""hi""","x,y","l1\nl2"\r\n');
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("-5")).toBe("'-5");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell('{"a":1}')).toBe('"{""a"":1}"');
  });
});
