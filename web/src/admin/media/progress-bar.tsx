/** A <progress> drawn in the theme's colours (the browser's own is green and grey). */
export function ProgressBar({ value, max, labelledBy }: { value: number; max: number; labelledBy: string }) {
  return (
    <progress
      aria-labelledby={labelledBy}
      value={value}
      max={max || 1}
      className="block h-2 w-full appearance-none overflow-hidden rounded-full bg-ink/10 [&::-moz-progress-bar]:bg-accent [&::-webkit-progress-bar]:bg-ink/10 [&::-webkit-progress-value]:bg-accent [&::-webkit-progress-value]:transition-[width]"
    />
  );
}
