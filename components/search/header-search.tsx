"use client";

import Form from "next/form";
import { useEffect, useRef } from "react";

function isTypingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** The site-wide search box; `/` focuses it from anywhere except while typing in a field. */
export function HeaderSearch() {
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTypingIn(event.target)) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <Form action="/search" role="search" aria-label="Site" className="relative w-full sm:ml-auto sm:w-72">
      <label htmlFor="header-search" className="sr-only">
        Search advisories, CVEs, packages
      </label>
      <input
        ref={inputRef}
        id="header-search"
        type="search"
        name="q"
        required
        maxLength={200}
        placeholder="Advisory, CVE, package…"
        aria-keyshortcuts="/"
        onKeyDown={(event) => {
          if (event.key === "Escape") event.currentTarget.blur();
        }}
        className="w-full rounded border border-zinc-300 bg-white py-1 pl-2 pr-8 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      />
      <kbd
        aria-hidden="true"
        title="Press / to search"
        className="pointer-events-none absolute right-2 top-1/2 -translate-y-1/2 rounded border border-zinc-300 px-1 font-mono text-xs text-zinc-500 dark:border-zinc-700 dark:text-zinc-400"
      >
        /
      </kbd>
    </Form>
  );
}
