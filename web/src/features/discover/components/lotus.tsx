/** A lotus, drawn in a few lines: the app's quiet mark where a plan has no cover. */
export function Lotus({ className, strokeWidth = 1.6 }: { className: string; strokeWidth?: number }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 48 32"
      className={className}
      fill="none"
      stroke="currentColor"
      strokeWidth={strokeWidth}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M24 4c5 6 5 16 0 22-5-6-5-16 0-22Z" />
      <path d="M24 26c-8-1-14-7-15-15 6 1 12 6 15 15Z" />
      <path d="M24 26c8-1 14-7 15-15-6 1-12 6-15 15Z" />
      <path d="M12 29h24" />
    </svg>
  );
}
