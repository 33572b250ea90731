package jvpp.pmd.testing;

import jvpp.pmd.dpdk.DpdkLib;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit condition behind {@link RequiresDpdk}: enabled when the DPDK shim loaded, disabled (skipped, with
 * the load error) otherwise. JUnit calls it on the test thread.
 */
public final class DpdkCondition implements ExecutionCondition
{
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(final ExtensionContext context)
    {
        if (!AnnotationSupport.isAnnotated(context.getElement(), RequiresDpdk.class))
        {
            return ConditionEvaluationResult.enabled("no @RequiresDpdk here");
        }
        return DpdkLib.available() ? ConditionEvaluationResult.enabled("the DPDK shim is loaded")
            : ConditionEvaluationResult.disabled("needs DPDK: apt-get install dpdk libdpdk-dev (bin/jvpp-setup does), "
                + "then rebuild; the shim did not load: " + DpdkLib.loadError());
    }
}
