"use client";

import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { Icon, type IconName } from "@/components/icons/icon";
import { menuTarget } from "./menu-keys";

export interface MenuItem {
  key: string;
  label: string;
  /** Words only a screen reader needs ("for Groq"): the menu's own name already says which row. */
  hidden?: string;
  icon: IconName;
  danger?: boolean;
  /** Shown but refused (an action already in flight): still read out, so it does not vanish. */
  busy?: boolean;
  onSelect: () => void;
}

/**
 * A row's actions behind one button, with the WAI-ARIA menu button pattern: Enter, Space or Down
 * opens on the first item and Up on the last; Up/Down/Home/End and a first letter move; Escape closes
 * back to the button; Tab (or a click elsewhere) closes and moves on. Choosing an item closes the
 * menu and puts focus back on the button first, so a dialog it opens returns there too.
 */
export function CompactRowMenu({ label, items }: { label: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const menuId = useId();

  useEffect(() => {
    if (open) itemRefs.current[active]?.focus();
  }, [open, active]);

  const openAt = (i: number) => {
    setActive(i);
    setOpen(true);
  };
  const closeToButton = () => {
    setOpen(false);
    button.current?.focus();
  };
  const select = (item: MenuItem) => {
    if (item.busy) return;
    closeToButton();
    item.onSelect();
  };

  function onButtonKey(e: KeyboardEvent) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      openAt(e.key === "ArrowDown" ? 0 : items.length - 1);
    }
  }

  function onMenuKey(e: KeyboardEvent) {
    if (e.key === "Escape") {
      e.preventDefault();
      closeToButton();
    } else if (e.key === "Tab") {
      setOpen(false); // focus moves on by itself
    } else {
      const next = menuTarget(e.key, active, items.map((i) => i.label));
      if (next === null) return;
      e.preventDefault();
      setActive(next);
    }
  }

  return (
    <div
      className="row-menu"
      ref={wrap}
      onBlur={(e) => {
        if (open && !wrap.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className="btn-secondary btn-small btn-icon"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? closeToButton() : openAt(0))}
        onKeyDown={onButtonKey}
        title={label}
      >
        <Icon name="more" />
        <span className="sr-only">{label}</span>
      </button>
      {open && (
        <ul role="menu" id={menuId} aria-label={label} className="row-menu-list" onKeyDown={onMenuKey}>
          {items.map((item, i) => (
            <li role="none" key={item.key}>
              <button
                ref={(el) => {
                  itemRefs.current[i] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={i === active ? 0 : -1}
                aria-disabled={item.busy || undefined}
                className={item.danger ? "row-menu-item danger" : "row-menu-item"}
                onClick={() => select(item)}
                onMouseEnter={() => setActive(i)}
              >
                <Icon name={item.icon} />
                {item.label}
                {item.hidden && <span className="sr-only"> {item.hidden}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
