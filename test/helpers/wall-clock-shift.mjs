/**
 * Test-only preload (`node --import`): shifts the process's wall clock by
 * STIGMEM_TEST_WALL_CLOCK_SHIFT_MS milliseconds, as an NTP step or a
 * wrongly set clock would. Everything in the node reads wall time through
 * `Date.now()` (the HLC, timestamps, audit entries), so this is what the
 * node would observe; monotonic time (`performance.now`) is untouched, as it
 * is by a real clock step. The product has no such hook: only the crash test
 * starts the node with this file.
 *
 * @module
 */
const shift = Number(process.env.STIGMEM_TEST_WALL_CLOCK_SHIFT_MS ?? "0");
if (Number.isFinite(shift) && shift !== 0) {
  const realNow = Date.now;
  Date.now = () => realNow() + shift;
}
