package jvpp.core.testing;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jvpp.core.sys.LibC;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit condition behind {@link RequiresRoot}: enabled when the process runs as root and every program
 * named is on the PATH, disabled (skipped, with the reason) otherwise. JUnit calls it on the test thread.
 */
public final class RootCondition implements ExecutionCondition
{
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(final ExtensionContext context)
    {
        final Optional<RequiresRoot> required = AnnotationSupport.findAnnotation(context.getElement(), RequiresRoot.class);
        if (required.isEmpty())
        {
            return ConditionEvaluationResult.enabled("no @RequiresRoot here");
        }
        if (!LibC.isRoot())
        {
            return ConditionEvaluationResult.disabled("needs root for " + required.get().value()
                + ": run as root (CI does)");
        }
        final List<String> missing = new ArrayList<>();
        for (final String command : required.get().commands())
        {
            if (!onPath(command))
            {
                missing.add(command);
            }
        }
        return missing.isEmpty() ? ConditionEvaluationResult.enabled("root, with " + String.join(", ",
            required.get().commands())) : ConditionEvaluationResult.disabled("needs " + String.join(", ", missing)
            + " on the PATH (iproute2, iputils-ping): bin/jvpp-setup installs them");
    }

    private static boolean onPath(final String command)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
        {
            if (new File(dir, command).canExecute())
            {
                return true;
            }
        }
        return false;
    }
}
