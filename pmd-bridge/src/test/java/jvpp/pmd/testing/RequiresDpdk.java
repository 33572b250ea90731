package jvpp.pmd.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that needs DPDK: the shim ({@code libjvppdpdk.so}) built against libdpdk and
 * loadable. Without it the test is skipped, and the report says why it did not load and how to get it.
 * Evaluated by {@link DpdkCondition} on the test thread, before any {@code @BeforeAll}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(DpdkCondition.class)
public @interface RequiresDpdk
{
}
