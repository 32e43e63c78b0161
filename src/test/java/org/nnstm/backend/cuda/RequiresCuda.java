package org.nnstm.backend.cuda;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.nnstm.tensor.BackendUnavailableException;

/**
 * Disables a test class, with the reason shown as skipped in the report, where the CUDA backend cannot
 * open device 0 (no driver, no GPU, no JCuda natives). Probes once per JVM.
 */
public final class RequiresCuda implements ExecutionCondition {
  private static volatile String unavailableReason;
  private static volatile boolean probed;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String reason = probe();
    return reason == null
        ? ConditionEvaluationResult.enabled("CUDA device 0 opens")
        : ConditionEvaluationResult.disabled(reason);
  }

  static synchronized String probe() {
    if (!probed) {
      try (CudaBackend b = CudaBackend.open(0)) {
        unavailableReason = null;
      } catch (BackendUnavailableException e) {
        unavailableReason = e.getMessage();
      }
      probed = true;
    }
    return unavailableReason;
  }
}
