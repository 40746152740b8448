"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";

const links = [
  { href: "/", label: "Overview" },
  { href: "/requests", label: "Requests" },
  { href: "/authorizers", label: "Authorizers" },
  { href: "/routing", label: "Routing" },
  { href: "/keys", label: "Keys" },
  { href: "/settings", label: "Settings" },
  { href: "/api-keys", label: "API keys" },
  { href: "/members", label: "Members" },
  { href: "/audit", label: "Audit log" },
] as const;

/** The console's sections: tabs from 640 px up, a Menu button that opens them as a list on phones. */
export function ConsoleNav() {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const current = links.find((l) => (l.href === "/" ? pathname === "/" : pathname.startsWith(l.href)));
  return (
    <nav aria-label="Console" className="pb-2 sm:pb-0">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="console-nav-links"
        onClick={() => setOpen(!open)}
        className="flex w-full items-center justify-between rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-200 sm:hidden"
      >
        <span>
          Menu<span className="sr-only">: </span>
          <span className="ml-2 font-normal text-slate-500">{current?.label}</span>
        </span>
        <span aria-hidden>{open ? "▴" : "▾"}</span>
      </button>
      {/* Focus outlines are drawn inside each link: the row scrolls sideways, which would clip an outer ring. */}
      <div
        id="console-nav-links"
        className={`${open ? "mt-2 flex flex-col" : "hidden"} -mb-px gap-1 sm:mt-0 sm:flex sm:flex-row sm:overflow-x-auto sm:p-0.5`}
      >
        {links.map((link) => {
          const active = link === current;
          return (
            <Link
              key={link.href}
              href={link.href}
              onClick={() => setOpen(false)}
              aria-current={active ? "page" : undefined}
              className={`whitespace-nowrap rounded-md px-3 py-2.5 text-sm font-medium transition-colors focus-visible:outline-offset-[-2px] sm:rounded-none sm:border-b-2 ${active ? "bg-brand-50 text-brand-700 sm:border-brand-600 sm:bg-transparent" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900 sm:border-transparent sm:hover:border-slate-300 sm:hover:bg-transparent"}`}
            >
              {link.label}
            </Link>
          );
        })}
      </div>
    </nav>
  );
}
