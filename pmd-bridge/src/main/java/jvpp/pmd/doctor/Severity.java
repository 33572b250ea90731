package jvpp.pmd.doctor;

/**
 * How much a {@link Finding} matters: {@code OK} is a check that passed, {@code WARN} will probably hurt
 * (low or no throughput, an unsafe mode), {@code ERROR} stops DPDK from starting with this configuration.
 *
 * <p>Thread: any (immutable).
 */
public enum Severity
{
    OK,
    WARN,
    ERROR
}
