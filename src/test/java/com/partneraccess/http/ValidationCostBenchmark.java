package com.partneraccess.http;

import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark (not a test): the cost of validating one {@code listJobs?limit=1} request, vertx-openapi's own
 * {@code RequestValidatorImpl} (a new schema validator per parameter per request, on a worker thread) against
 * {@link ContractValidator}, in one JVM, in interleaved rounds. Prints microseconds of wall time and of this JVM's
 * CPU time per request (median of the rounds), and the request body case ({@code issueToken}).
 * Run: {@code bench/validation-cost.sh}.
 */
public final class ValidationCostBenchmark {
  private static final int BATCH = 20_000;

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      OpenAPIContract contract = ApiContract.load(vertx).await();
      RequestValidator library = new RequestValidatorImpl(vertx, contract);
      RequestValidator ours = new ContractValidator(vertx, contract);
      Map<String, RequestParameter> none = Map.of();
      ValidatableRequest listJobs = new ValidatableRequestImpl(none, none, none, Map.of("limit", new RequestParameterImpl("1")));
      ValidatableRequest issueToken = new ValidatableRequestImpl(none, none, none, none, new RequestParameterImpl(
          io.vertx.core.buffer.Buffer.buffer("{\"email\":\"a@b.test\",\"password\":\"secret\"}")), "application/json");
      StringBuilder out = new StringBuilder();
      for (var c : List.of(new Object[] {"listJobs", listJobs}, new Object[] {"issueToken", issueToken})) {
        String op = (String) c[0];
        ValidatableRequest request = (ValidatableRequest) c[1];
        List<double[]> lib = new ArrayList<>();
        List<double[]> own = new ArrayList<>();
        for (int round = 0; round < 7; round++) {
          double[] a = measure(vertx, library, request, op);
          double[] b = measure(vertx, ours, request, op);
          if (round >= 2) { // the first rounds warm up the JIT
            lib.add(a);
            own.add(b);
          }
        }
        out.append(String.format(Locale.ROOT, "%s: vertx-openapi RequestValidatorImpl %.1f µs wall, %.1f µs CPU per request;"
                + " ContractValidator %.1f µs wall, %.1f µs CPU per request%n", op,
            median(lib, 0), median(lib, 1), median(own, 0), median(own, 1)));
      }
      System.out.print(out);
    } finally {
      vertx.close().await();
    }
  }

  /** {wall µs, process CPU µs} per request for BATCH validations, issued from an event loop as the router does. */
  private static double[] measure(Vertx vertx, RequestValidator validator, ValidatableRequest request, String op)
      throws InterruptedException {
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger failures = new AtomicInteger();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    AtomicInteger left = new AtomicInteger(BATCH);
    vertx.runOnContext(v -> {
      for (int i = 0; i < BATCH; i++) {
        validator.validate(request, op).onComplete(ar -> {
          if (ar.failed()) {
            failures.incrementAndGet();
          }
          if (left.decrementAndGet() == 0) {
            done.countDown();
          }
        });
      }
    });
    if (!done.await(5, TimeUnit.MINUTES) || failures.get() > 0) {
      throw new IllegalStateException(op + ": " + failures.get() + " failures");
    }
    long wall = System.nanoTime() - t0;
    long cpu = os.getProcessCpuTime() - cpu0;
    return new double[] {wall / 1000.0 / BATCH, cpu / 1000.0 / BATCH};
  }

  private static double median(List<double[]> rounds, int i) {
    double[] xs = rounds.stream().mapToDouble(x -> x[i]).sorted().toArray();
    return xs[xs.length / 2];
  }
}
