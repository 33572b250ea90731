package jvpp.core.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Linux capabilities this process has ({@code CapEff} of {@code /proc/self/status}), so that a command that
 * needs one can say which is missing instead of failing with a bare "Operation not permitted" further in. Root
 * normally has them all; a root started with a reduced bounding set (containers, {@code setpriv}) may not, and
 * a non-root user may have been granted some ({@code setcap}, systemd's {@code AmbientCapabilities=}).
 *
 * <p>Thread: any.
 */
public final class Capabilities
{
    /** Capability numbers (linux/capability.h) jvpp needs somewhere, with their names. */
    public enum Cap
    {
        NET_ADMIN(12, "taps, veths, addresses and routes on the host, moving links between namespaces"),
        NET_RAW(13, "AF_PACKET sockets (host-interface)"),
        IPC_LOCK(14, "locking hugepage memory (DPDK)"),
        SYS_ADMIN(21, "creating and entering network namespaces");

        final int bit;
        final String usedFor;

        Cap(final int bit, final String usedFor)
        {
            this.bit = bit;
            this.usedFor = usedFor;
        }

        public String capName()
        {
            return "CAP_" + name();
        }
    }

    private static final Path STATUS = Path.of("/proc/self/status");

    private Capabilities()
    {
    }

    /** The effective capability mask of {@code status} (the text of /proc/&lt;pid&gt;/status); 0 when absent. */
    public static long effective(final String status)
    {
        for (final String line : status.split("\n"))
        {
            if (line.startsWith("CapEff:"))
            {
                return Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
            }
        }
        return 0;
    }

    /** This process's effective capabilities. */
    public static long effective()
    {
        try
        {
            return effective(Files.readString(STATUS));
        }
        catch (final IOException | NumberFormatException ex)
        {
            // No /proc: assume the classic rule, root has everything.
            return LibC.isRoot() ? -1L : 0;
        }
    }

    /** Which of {@code needed} {@code effective} lacks, in the order given. */
    public static List<Cap> missing(final long effective, final Cap... needed)
    {
        final List<Cap> out = new ArrayList<>();
        for (final Cap c : needed)
        {
            if ((effective & (1L << c.bit)) == 0)
            {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Null when {@code effective} has all of {@code needed}, else what to tell the operator: each missing
     * capability, what it is for, and how to grant it.
     */
    public static String explainMissing(final long effective, final Cap... needed)
    {
        final List<Cap> gone = missing(effective, needed);
        if (gone.isEmpty())
        {
            return null;
        }
        final StringBuilder sb = new StringBuilder("needs ");
        for (int i = 0; i < gone.size(); i++)
        {
            sb.append(i == 0 ? "" : " and ").append(gone.get(i).capName()).append(" (").append(gone.get(i).usedFor)
                .append(')');
        }
        sb.append(", which this process does not have: run as root, or grant ");
        for (int i = 0; i < gone.size(); i++)
        {
            sb.append(i == 0 ? "" : ",").append("cap_").append(gone.get(i).name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.append(" (setcap ...+ep on the java binary, or AmbientCapabilities= in a systemd unit)").toString();
    }
}
