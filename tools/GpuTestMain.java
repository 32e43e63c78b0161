import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * GpuTestMain: runs the named JUnit 5 test classes with the JUnit Platform launcher (no Maven, no console
 * launcher needed) and prints one line per test plus a summary. Exit status: 0 all passed, 1 failures,
 * 3 when --require-run is given and any test was skipped (e.g. no CUDA device). Built and bundled by
 * tools/build-gpu-bundle; run by tools/gpu-check.
 *
 * Usage: java -cp 'lib/*' GpuTestMain [--require-run] CLASS...
 */
public final class GpuTestMain {
  public static void main(String[] args) {
    boolean requireRun = false;
    List<String> classes = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--require-run")) {
        requireRun = true;
      } else {
        classes.add(a);
      }
    }
    LauncherDiscoveryRequestBuilder rb = LauncherDiscoveryRequestBuilder.request();
    for (String c : classes) {
      rb.selectors(DiscoverySelectors.selectClass(c));
    }
    LauncherDiscoveryRequest request = rb.build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    long[] skipped = {0};
    TestExecutionListener lines = new TestExecutionListener() {
      @Override
      public void executionSkipped(TestIdentifier id, String reason) {
        skipped[0]++;
        System.out.println("SKIP " + id.getDisplayName() + ": " + reason);
      }

      @Override
      public void executionFinished(TestIdentifier id, TestExecutionResult r) {
        if (!id.isTest() && r.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
          return;
        }
        String what = id.getLegacyReportingName();
        System.out.println(r.getStatus() + " " + what
            + r.getThrowable().map(t -> ": " + t.toString().split("\n")[0]).orElse(""));
      }
    };
    launcher.execute(request, summary, lines);
    TestExecutionSummary s = summary.getSummary();
    s.printFailuresTo(new PrintWriter(System.out), 30);
    System.out.printf("tests: %d found, %d succeeded, %d failed, %d aborted, %d skipped (containers skipped: %d)%n",
        s.getTestsFoundCount(), s.getTestsSucceededCount(), s.getTestsFailedCount(), s.getTestsAbortedCount(),
        s.getTestsSkippedCount(), s.getContainersSkippedCount());
    boolean failed = s.getTotalFailureCount() > 0;
    boolean anySkipped = skipped[0] > 0 || s.getTestsAbortedCount() > 0;
    System.exit(failed ? 1 : (requireRun && anySkipped) ? 3 : 0);
  }
}
