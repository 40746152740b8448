/** The product mark (public/logo.svg): steps up to a check, on the brand blue. Decorative beside its name. */
export function Logo({ className = "size-8" }: { className?: string }) {
  // eslint-disable-next-line @next/next/no-img-element -- a 1 kB SVG needs no image optimisation
  return <img src="/logo.svg" alt="" aria-hidden width={64} height={64} className={`rounded-lg ${className}`} />;
}
