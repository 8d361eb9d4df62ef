import { describe, expect, it } from "vitest";
import { menuTarget } from "./menu-keys";

const items = ["Test key", "Replace key", "Edit", "Delete key"];

describe("menuTarget", () => {
  it("moves down and up, wrapping at both ends", () => {
    expect(menuTarget("ArrowDown", 0, items)).toBe(1);
    expect(menuTarget("ArrowDown", 3, items)).toBe(0);
    expect(menuTarget("ArrowUp", 0, items)).toBe(3);
    expect(menuTarget("ArrowUp", 2, items)).toBe(1);
  });

  it("jumps to the first and last items", () => {
    expect(menuTarget("Home", 2, items)).toBe(0);
    expect(menuTarget("End", 0, items)).toBe(3);
  });

  it("moves to the next item starting with a typed letter, case-insensitively, after the current one", () => {
    expect(menuTarget("e", 0, items)).toBe(2);
    expect(menuTarget("D", 0, items)).toBe(3);
    expect(menuTarget("t", 0, items)).toBe(0); // only itself starts with t: stays
    expect(menuTarget("x", 1, items)).toBe(1);
  });

  it("leaves other keys (Tab, Escape, Enter, Space) to the caller", () => {
    for (const key of ["Tab", "Escape", "Enter", " ", "Shift"]) expect(menuTarget(key, 1, items)).toBeNull();
    expect(menuTarget("ArrowDown", 0, [])).toBeNull();
  });
});
