package jvpp.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Proxy;
import java.util.Optional;

import jvpp.core.sys.LibC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;

/** {@link RootCondition} asked directly, about the marked methods below (not tests themselves). */
class RootConditionTest
{
    @RequiresRoot(value = "testing the condition", commands = "jvpp-no-such-program")
    void needsAProgramNobodyHas()
    {
    }

    @RequiresRoot(value = "testing the condition", commands = "sh")
    void needsAShell()
    {
    }

    void needsNothing()
    {
    }

    private static ConditionEvaluationResult evaluate(final String method) throws NoSuchMethodException
    {
        final AnnotatedElement element = RootConditionTest.class.getDeclaredMethod(method);
        final ExtensionContext context = (ExtensionContext)Proxy.newProxyInstance(
            RootConditionTest.class.getClassLoader(), new Class<?>[] {ExtensionContext.class}, (proxy, m, args) -> {
                if (m.getName().equals("getElement"))
                {
                    return Optional.of(element);
                }
                throw new UnsupportedOperationException(m.getName());
            });
        return new RootCondition().evaluateExecutionCondition(context);
    }

    @Test
    void shouldSkipNamingWhatIsMissing() throws Exception
    {
        final ConditionEvaluationResult r = evaluate("needsAProgramNobodyHas");
        assertTrue(r.isDisabled());
        final String reason = r.getReason().orElse("");
        if (LibC.isRoot())
        {
            assertTrue(reason.startsWith("needs jvpp-no-such-program on the PATH"), reason);
        }
        else
        {
            assertEquals("needs root for testing the condition: run as root (CI does)", reason);
        }
    }

    @Test
    void shouldRunAsRootWhenTheProgramsAreThere() throws Exception
    {
        final ConditionEvaluationResult r = evaluate("needsAShell");
        assertEquals(LibC.isRoot(), !r.isDisabled(), r.getReason().orElse(""));
    }

    @Test
    void shouldLeaveUnmarkedTestsAlone() throws Exception
    {
        assertFalse(evaluate("needsNothing").isDisabled());
    }
}
