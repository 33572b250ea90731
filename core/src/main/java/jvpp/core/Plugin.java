package jvpp.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

import jvpp.core.config.ConfigSection;

/**
 * A module's entry point (VPP's plugin/init function), found with {@link java.util.ServiceLoader}: it names
 * the startup.conf sections the module owns, registers the module's nodes, CLI commands and services with the
 * {@link Jvpp} it is given, and brings up what the configuration asked of it. Arcs name nodes, so plugins may
 * register in any order; {@link #order()} only makes it deterministic.
 *
 * <p>The boot calls, in this order: {@link #configSections()} (while startup.conf is read, before any instance
 * exists), {@link #init} (in {@link Jvpp#create}), {@link #start} (in {@link Jvpp#startPlugins}, on main).
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

    /**
     * The startup.conf sections this module owns (VPP's {@code VLIB_CONFIG_FUNCTION}). Called on a plugin that
     * is never initialised: keep no state here.
     */
    default List<ConfigSection> configSections()
    {
        return List.of();
    }

    void init(Jvpp vpp);

    /**
     * Bring up what the configuration asks of this module ({@code vpp.context().settings(...)}) once the
     * instance exists and the calling thread is main, before the CLI listens: DPDK's EAL and its devices. Throw
     * with a message that names what failed; the boot then stops.
     */
    default void start(final Jvpp vpp)
    {
    }

    /** Every plugin on the class path, new instances, in {@link #order()} then name order. */
    static List<Plugin> loadAll()
    {
        final List<Plugin> found = new ArrayList<>();
        ServiceLoader.load(Plugin.class).forEach(found::add);
        found.sort(Comparator.comparingInt(Plugin::order).thenComparing(Plugin::name));
        return found;
    }
}
