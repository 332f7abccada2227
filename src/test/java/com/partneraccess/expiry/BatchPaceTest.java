package com.partneraccess.expiry;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10, goal 4: the sweep's batch sizes (slow start, growth while fast, ceiling after a timeout) and pauses. */
@DisplayName("The expiry sweep's batch size and pause")
class BatchPaceTest {
  static final long TIMEOUT = 5_000;

  @Test
  @DisplayName("a round starts with an eighth of the batch size and doubles while batches are fast, up to the size")
  void slowStartDoublesUpToTheConfiguredSize() {
    BatchPace pace = BatchPace.first(1_000);
    assertThat(pace.size()).isEqualTo(125);
    pace = pace.next(125, 100, TIMEOUT);
    assertThat(pace.size()).isEqualTo(250);
    pace = pace.next(250, 200, TIMEOUT).next(500, 400, TIMEOUT);
    assertThat(pace.size()).isEqualTo(1_000);
    assertThat(pace.next(1_000, 800, TIMEOUT).size()).isEqualTo(1_000);
  }

  @Test
  @DisplayName("small sizes start at the smallest batch, never above the configured size")
  void smallSizes() {
    assertThat(BatchPace.first(100).size()).isEqualTo(ExpiryVerticle.MIN_BATCH);
    assertThat(BatchPace.first(5).size()).isEqualTo(5);
    assertThat(BatchPace.first(5).next(5, 1, TIMEOUT).size()).isEqualTo(5);
  }

  @Test
  @DisplayName("a batch that took a quarter of the statement timeout or more does not grow the next one")
  void slowBatchesDoNotGrow() {
    BatchPace pace = BatchPace.first(1_000).next(125, 1_250, TIMEOUT);
    assertThat(pace.size()).isEqualTo(125);
    assertThat(pace.next(125, 1_249, TIMEOUT).size()).isEqualTo(250);
    assertThat(pace.next(125, 4_000, 0).size()).isEqualTo(250); // no statement timeout: always fast enough
  }

  @Test
  @DisplayName("after a batch the statement timeout cancelled, the size that ran is the ceiling until 2 fast batches")
  void aTimeoutCapsTheRoundUntilFastBatchesLiftIt() {
    BatchPace pace = new BatchPace(1_000, 1_000, 1_000, 0, 0).next(500, 10, TIMEOUT); // 1,000 was cancelled, 500 ran
    assertThat(pace.ceiling()).isEqualTo(500);
    assertThat(pace.size()).isEqualTo(500);
    pace = pace.next(500, 10, TIMEOUT);
    assertThat(pace.size()).isEqualTo(500);
    pace = pace.next(500, 10, TIMEOUT); // the second fast batch at the ceiling lifts it
    assertThat(pace.size()).isEqualTo(1_000);
    assertThat(pace.ceiling()).isEqualTo(1_000);
  }

  @Test
  @DisplayName("a batch slower than an eighth of the timeout does not lift the ceiling; each further timeout doubles the wait")
  void repeatedTimeoutsProbeEverMoreRarely() {
    BatchPace pace = new BatchPace(1_000, 1_000, 1_000, 0, 0).next(500, 10, TIMEOUT);
    for (int i = 0; i < 5; i++) {
      pace = pace.next(500, TIMEOUT / 8, TIMEOUT); // not fast enough to probe
    }
    assertThat(pace.size()).isEqualTo(500);
    pace = pace.next(500, 10, TIMEOUT).next(500, 10, TIMEOUT);
    assertThat(pace.size()).isEqualTo(1_000);
    pace = pace.next(500, 10, TIMEOUT); // cancelled again at 1,000: now 4 fast batches before the next probe
    assertThat(pace.timeouts()).isEqualTo(2);
    for (int i = 0; i < 3; i++) {
      pace = pace.next(500, 10, TIMEOUT);
      assertThat(pace.size()).isEqualTo(500);
    }
    assertThat(pace.next(500, 10, TIMEOUT).size()).isEqualTo(1_000);
    assertThat(pace.next(250, 10, TIMEOUT).size()).isEqualTo(250); // cancelled at 500: 250 is the ceiling
  }

  @Test
  @DisplayName("the pause is at most expiry.pauseMillis and at most a tenth of the batch that just ran")
  void pauseIsBoundedByTheBatch() {
    assertThat(BatchPace.pauseAfter(2_000, 20)).isEqualTo(20);
    assertThat(BatchPace.pauseAfter(100, 20)).isEqualTo(10);
    assertThat(BatchPace.pauseAfter(5, 20)).isZero();
    assertThat(BatchPace.pauseAfter(2_000, 0)).isZero();
  }

  /** The batches a round of {@code due} rows takes when every batch is fast (for the tests that count them). */
  static int batchesWhenFast(int due, int batch) {
    int n = 0;
    int left = due;
    BatchPace pace = BatchPace.first(batch);
    while (true) {
      n++;
      int ran = Math.min(left, pace.size());
      if (ran < pace.size()) {
        return n;
      }
      left -= ran;
      pace = pace.next(ran, 0, TIMEOUT);
    }
  }

  @Test
  @DisplayName("2,500 due in batches of 1,000: 125, 250, 500, 1,000, then 625")
  void batchesOfARound() {
    assertThat(batchesWhenFast(2_500, 1_000)).isEqualTo(5);
    assertThat(batchesWhenFast(1_000, 1_000)).isEqualTo(4); // 125 + 250 + 500 = 875, then the last 125 (short)
  }
}
