import { describe, expect, it } from 'vitest';
import { createPositionSaver, type PositionSave } from './position-saver';

// A saver on a clock the test moves, and the saves it made.
function listening(loadedMs = 0) {
  let clock = 1_000_000;
  const saves: PositionSave[] = [];
  const saver = createPositionSaver(loadedMs, { save: (s) => saves.push(s), now: () => clock });
  return {
    saver,
    saves,
    wait(ms: number) {
      clock += ms;
    },
    // Plays for ms, with timeupdate events four times a second as browsers send them.
    play(fromSeconds: number, ms: number) {
      saver.play();
      for (let t = 250; t <= ms; t += 250) {
        clock += 250;
        saver.progress(fromSeconds + t / 1000);
      }
      return fromSeconds + ms / 1000;
    },
  };
}

describe('createPositionSaver', () => {
  it('saves about every ten seconds while playing, not at every timeupdate', () => {
    const l = listening();
    l.play(0, 35_000);
    expect(l.saves.map((s) => s.positionMs)).toEqual([10_000, 20_000, 30_000]);
  });

  it('counts the ten seconds from the start of playback, not from when the page opened', () => {
    const l = listening();
    l.wait(60_000); // the page stayed open a minute before play was pressed
    l.play(0, 3_000);
    expect(l.saves).toEqual([]);
  });

  it('saves at once on pause, with the time of the device', () => {
    const l = listening();
    const at = l.play(0, 4_000);
    l.saver.pause(at);
    expect(l.saves).toHaveLength(1);
    expect(l.saves[0]).toMatchObject({ positionMs: 4_000, leaving: false });
    expect(l.saves[0]!.at).toBeInstanceOf(Date);
  });

  it('saves when the page is left, with a request that outlives the page', () => {
    const l = listening();
    const at = l.play(0, 2_500);
    l.saver.leave(at);
    expect(l.saves).toEqual([expect.objectContaining({ positionMs: 2_500, leaving: true })]);
  });

  it('does not save the same place twice, nor the place it resumed from', () => {
    const l = listening(192_000);
    l.saver.pause(192); // paused right where it resumed
    l.saver.pause(200);
    l.saver.pause(200);
    l.saver.leave(200);
    expect(l.saves.map((s) => s.positionMs)).toEqual([200_000]);
  });

  it('resets the ten seconds after a pause', () => {
    const l = listening();
    const at = l.play(0, 8_000);
    l.saver.pause(at);
    l.play(at, 8_000);
    expect(l.saves.map((s) => s.positionMs)).toEqual([8_000]);
  });
});
