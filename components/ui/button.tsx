import Link from "next/link";
import type { AnchorHTMLAttributes, ButtonHTMLAttributes } from "react";

const variants = {
  primary: "bg-brand-600 text-on-accent hover:bg-brand-800 disabled:bg-brand-600/50",
  secondary: "bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 disabled:text-slate-400",
  danger: "bg-white text-red-700 ring-1 ring-red-200 hover:bg-red-50 disabled:text-red-300",
  dangerSolid: "bg-red-600 text-on-accent hover:bg-red-800 disabled:bg-red-600/50",
  ghost: "text-slate-600 shadow-none hover:bg-slate-100 hover:text-slate-900 disabled:text-slate-300",
} as const;
const sizes = { md: "px-3.5 py-2 text-sm", sm: "px-2.5 py-1.5 text-xs" } as const;
export type ButtonVariant = keyof typeof variants;

function classes(variant: ButtonVariant, size: keyof typeof sizes, extra: string) {
  return `inline-flex items-center justify-center gap-2 rounded-md font-medium shadow-sm transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 disabled:cursor-not-allowed ${sizes[size]} ${variants[variant]} ${extra}`;
}

export function Button({
  variant = "primary",
  size = "md",
  className = "",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: keyof typeof sizes }) {
  return <button className={classes(variant, size, className)} {...props} />;
}

/** A link styled as a button (navigation and downloads, never mutations). */
export function LinkButton({
  variant = "secondary",
  size = "md",
  className = "",
  href,
  ...props
}: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; variant?: ButtonVariant; size?: keyof typeof sizes }) {
  return <Link href={href} className={classes(variant, size, className)} {...props} />;
}
