package com.partneraccess.expiry;

/**
 * How many rows the next sweep batch takes, and how long the loop waits before it (issue 10, goal 4). Pure Java.
 *
 * <p>Slow start: a round's first batch takes an eighth of {@code expiry.batchSize} (at least
 * {@link ExpiryVerticle#MIN_BATCH}) and each batch doubles the next one, up to the configured size, while a batch
 * takes less than a quarter of the statement timeout (twice the rows then still finish inside half of it). Why: the
 * first batches of a round read cold pages (and write their first full-page images after a checkpoint); at
 * 1,000,000 connections a first batch of 1,000 took more than the 5 s statement timeout, was cancelled and the whole
 * round went on at half the size (bench/results/sweep.md). A small first batch warms the pages the next ones need.
 *
 * <p>A batch the statement timeout cancelled was retried with fewer rows ({@link ExpiryVerticle#halving}); the
 * size that ran is then the round's ceiling, lifted again (doubled, up to the configured size) after {@code 2^k}
 * batches at the ceiling that each took less than an eighth of the timeout, k being the round's timeouts so far.
 * Why: on a busy machine a batch can pass the timeout once (a stall, a checkpoint) and the round should not stay
 * halved for good (at 300,000 connections a 125-row first batch cancelled in such a stall left a round at 62 rows:
 * 305 batches where 30 would do); a batch that passes it for a lasting reason (slow triggers, lock waits) is probed
 * ever more rarely, so the timeouts (each one a wasted batch) stay few.
 *
 * <p>The pause between two batches is {@code expiry.pauseMillis} at most, and never more than a tenth of the batch
 * that just ran: the pause gives the cores back to requests in proportion to what the sweep took, and a row a
 * request waits on is released at the batch's commit whatever the pause (the next batch takes other rows: the ones
 * just expired are no longer due). A fixed 20 ms after batches of 100 ms would be a sixth of the sweep's time.
 *
 * @param size the rows the next batch takes
 * @param ceiling the most rows a batch may take now
 * @param max the configured size ({@code expiry.batchSize})
 * @param probeIn fast batches at the ceiling still needed before the ceiling doubles
 * @param timeouts batches of this round cancelled by the statement timeout
 */
record BatchPace(int size, int ceiling, int max, int probeIn, int timeouts) {
  /** A round's first batch takes this fraction of the configured size. */
  static final int WARM_DIVISOR = 8;
  /** A batch may double the next one while it took less than this fraction of the statement timeout. */
  static final int GROW_BELOW_TIMEOUT_FRACTION = 4;
  /** After a timeout, the ceiling is lifted only by batches that took less than this fraction of the timeout. */
  static final int PROBE_BELOW_TIMEOUT_FRACTION = 8;
  /** The pause is at most this fraction of the batch that just ran. */
  static final int PAUSE_FRACTION = 10;

  /** The first batch of a round of batches of at most {@code batch} rows. */
  static BatchPace first(int batch) {
    return new BatchPace(Math.min(batch, Math.max(ExpiryVerticle.MIN_BATCH, batch / WARM_DIVISOR)), batch, batch, 0, 0);
  }

  /**
   * The batch after one that ran {@code ran} rows (fewer than {@link #size} when the statement timeout cancelled
   * larger attempts) in {@code millis}, with a statement timeout of {@code timeoutMillis} (0: none).
   */
  BatchPace next(int ran, long millis, long timeoutMillis) {
    if (ran < size) { // cancelled at least once: the size that ran is the ceiling, probed again after 2^k batches
      int k = timeouts + 1;
      return new BatchPace(ran, ran, max, 1 << Math.min(k, 16), k);
    }
    int top = ceiling;
    int probe = probeIn;
    if (ran == ceiling && ceiling < max && under(millis, timeoutMillis, PROBE_BELOW_TIMEOUT_FRACTION) && --probe <= 0) {
      top = (int) Math.min(max, 2L * ceiling);
      probe = 1 << Math.min(timeouts, 16);
    }
    int grown = under(millis, timeoutMillis, GROW_BELOW_TIMEOUT_FRACTION) ? (int) Math.min(top, 2L * ran) : ran;
    return new BatchPace(Math.max(1, Math.min(top, grown)), top, max, probe, timeouts);
  }

  private static boolean under(long millis, long timeoutMillis, int fraction) {
    return timeoutMillis <= 0 || millis * fraction < timeoutMillis;
  }

  /** The pause (ms) after a batch that took {@code batchMillis}, with {@code expiry.pauseMillis} {@code pauseMillis}. */
  static long pauseAfter(long batchMillis, int pauseMillis) {
    return Math.max(0, Math.min(pauseMillis, batchMillis / PAUSE_FRACTION));
  }
}
