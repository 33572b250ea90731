package jvpp.core;

/**
 * A module's entry point (VPP's plugin/init function), found with {@link java.util.ServiceLoader}: it
 * registers the module's nodes, CLI commands and services with the {@link Jvpp} it is given.
 * Arcs name nodes, so plugins may register in any order; {@link #order()} only makes it deterministic.
 *
 * <p>Thread: main, during boot.
 */
public interface Plugin
{
    String name();

    /** Lower runs first. */
    default int order()
    {
        return 100;
    }

    void init(Jvpp vpp);
}
