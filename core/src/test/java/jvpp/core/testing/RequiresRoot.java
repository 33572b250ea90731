package jvpp.core.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs root (network namespaces, veth, tap, AF_PACKET) and the host
 * programs its fixture runs: without them it is skipped, and the report says why and what to do. CI runs
 * as root. Evaluated by {@link RootCondition} on the test thread, before any {@code @BeforeEach}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RootCondition.class)
public @interface RequiresRoot
{
    /** What the test does that needs root, for the skip message. */
    String value() default "network namespaces, veth and tap";

    /** Programs that must be on the PATH (iproute2 and iputils-ping by default: {@link HostNet} runs them). */
    String[] commands() default {"ip", "ping"};
}
