package jvpp.pmd.dpdk;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.StringArray;

/**
 * DPDK's Environment Abstraction Layer, which a process can initialise once: {@code rte_eal_init} with jvpp's
 * arguments, and what it found. {@link DpdkPorts#init} calls it for the one jvpp instance of a process that uses
 * DPDK.
 *
 * <p>Thread: main.
 */
final class DpdkEal
{
    private DpdkEal()
    {
    }

    /**
     * Initialise the EAL with {@code ealArgs} ({@code jvpp} is put in front as argv[0]).
     *
     * @return how many arguments the EAL consumed
     * @throws IllegalStateException when the shim or DPDK is missing or the EAL refuses, with DPDK's reason and the
     *                               arguments
     */
    static int init(final List<String> ealArgs)
    {
        DpdkLib.ensureLoaded();
        final List<String> argv = new ArrayList<>();
        argv.add("jvpp");
        argv.addAll(ealArgs);
        final int consumed = DpdkLib.jvpp_eal_init(argv.size(), new StringArray(argv.toArray(new String[0])));
        if (consumed < 0)
        {
            throw new IllegalStateException(DpdkLib.jvpp_last_error() + " (EAL arguments: " + String.join(" ", ealArgs)
                + "); without hugepages use --no-huge -m <MB> --no-shconf, never --in-memory with --no-huge");
        }
        return consumed;
    }

    /** Ethernet ports DPDK knows (probed from the EAL arguments or attached since). */
    static int portCount()
    {
        return DpdkLib.jvpp_port_count();
    }
}
