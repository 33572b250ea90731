package jvpp.core.pcap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.cli.CliInput;
import jvpp.core.iface.Interface;

/**
 * {@code pcap trace [rx] [tx] [drop] [max <n>] [intfc <if>|any] [file <name>] [max-bytes-per-pkt <n>]},
 * {@code pcap trace off} and {@code pcap trace status}, VPP's words. A bare file name goes under {@code /tmp} as in
 * VPP; an absolute path (a jvpp extension) is used as given.
 *
 * <p>Thread: main.
 */
public final class PcapCommands
{
    /** Where a bare {@code file} name goes, as in VPP. */
    public static final Path DEFAULT_DIR = Path.of("/tmp");

    private PcapCommands()
    {
    }

    /** Register the commands in {@code vpp}'s CLI; a running capture is stopped when {@code vpp} closes. */
    public static void register(final Jvpp vpp)
    {
        final PcapCapture pcap = vpp.graph().pcap();
        vpp.onClose(() -> {
            try
            {
                pcap.stop();
            }
            catch (final IOException ignored)
            {
                // Closing: nobody is left to tell.
            }
        });
        vpp.cli().register("pcap trace", "Packet capture to a pcap file",
            "pcap trace [rx] [tx] [drop] [max <n>] [intfc <if>|any] [file <name>] [max-bytes-per-pkt <n>] | off | status",
            in -> {
                if (in.accept("off"))
                {
                    in.end();
                    return out -> {
                        if (!pcap.running())
                        {
                            throw new CliException("pcap trace is not running...");
                        }
                        stop(pcap);
                        out.printf("captured %d pkts, skipped %d...%n", pcap.captured(), pcap.skipped());
                        out.printf("saved to %s%n", pcap.file());
                    };
                }
                if (in.accept("status"))
                {
                    in.end();
                    return out -> status(pcap, out);
                }
                return parseStart(vpp, pcap, in);
            });
    }

    private static jvpp.core.cli.CliAction parseStart(final Jvpp vpp, final PcapCapture pcap, final CliInput in)
        throws CliException
    {
        int kinds = 0;
        long max = 100;
        int bytes = 512;
        int sw = PcapCapture.ANY;
        String file = null;
        while (!in.atEnd())
        {
            if (in.accept("rx"))
            {
                kinds |= PcapCapture.RX;
            }
            else if (in.accept("tx"))
            {
                kinds |= PcapCapture.TX;
            }
            else if (in.accept("drop"))
            {
                kinds |= PcapCapture.DROP;
            }
            else if (in.accept("max"))
            {
                max = in.nextLong("packet count", 1, PcapCapture.MAX_PACKETS_LIMIT);
            }
            else if (in.accept("max-bytes-per-pkt"))
            {
                final String w = in.next("byte count");
                try
                {
                    bytes = Integer.parseInt(w);
                }
                catch (final NumberFormatException e)
                {
                    throw new CliException("expected byte count, got `" + w + "'");
                }
                if (bytes < PcapCapture.MIN_BYTES_PER_PACKET || bytes > PcapCapture.MAX_BYTES_PER_PACKET)
                {
                    throw new CliException("Max bytes per pkt must be > " + PcapCapture.MIN_BYTES_PER_PACKET + ", < "
                        + PcapCapture.MAX_BYTES_PER_PACKET + "...");
                }
            }
            else if (in.accept("intfc"))
            {
                final String name = in.next("interface name");
                if (!"any".equals(name))
                {
                    final Interface ifc = vpp.interfaces().get(name);
                    if (ifc == null)
                    {
                        throw new CliException("unknown interface `" + name + "'");
                    }
                    sw = ifc.swIfIndex();
                }
            }
            else if (in.accept("file"))
            {
                file = in.next("file name");
            }
            else
            {
                throw in.unknown();
            }
        }
        if (kinds == 0)
        {
            throw new CliException("Please specify rx, tx and/or drop...");
        }
        final Path path = path(file, kinds);
        final int k = kinds;
        final long m = max;
        final int s = sw;
        final int b = bytes;
        return out -> {
            if (pcap.running())
            {
                throw new CliException("pcap trace already running: " + pcap.file() + "...");
            }
            final Path dir = path.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir))
            {
                throw new CliException("directory " + dir + " does not exist");
            }
            if (!Files.isWritable(dir))
            {
                throw new CliException("directory " + dir + " is not writable");
            }
            try
            {
                pcap.start(path, k, s, m, b);
            }
            catch (final IOException e)
            {
                throw new CliException("cannot open " + path + ": " + e.getMessage());
            }
        };
    }

    /** VPP's default names: rx.pcap, tx.pcap, rxandtx.pcap, drop.pcap and so on, under /tmp. */
    private static Path path(final String file, final int kinds)
    {
        if (file != null)
        {
            final Path p = Path.of(file);
            return p.isAbsolute() ? p : DEFAULT_DIR.resolve(p);
        }
        final StringBuilder sb = new StringBuilder();
        if ((kinds & PcapCapture.RX) != 0)
        {
            sb.append("rx");
        }
        if ((kinds & PcapCapture.TX) != 0)
        {
            sb.append(sb.length() > 0 ? "and" : "").append("tx");
        }
        if ((kinds & PcapCapture.DROP) != 0)
        {
            sb.append(sb.length() > 0 ? "and" : "").append("drop");
        }
        return DEFAULT_DIR.resolve(sb.append(".pcap").toString());
    }

    private static void stop(final PcapCapture pcap) throws CliException
    {
        try
        {
            pcap.stop();
        }
        catch (final IOException e)
        {
            throw new CliException("writing " + pcap.file() + ": " + e.getMessage());
        }
    }

    private static void status(final PcapCapture pcap, final jvpp.core.cli.CliOutput out)
    {
        if (!pcap.running())
        {
            out.println("pcap trace is off");
            if (pcap.file() != null)
            {
                out.printf("last capture: %d captured, %d skipped, file %s%n", pcap.captured(), pcap.skipped(),
                    pcap.file());
            }
            return;
        }
        final int k = pcap.kinds();
        out.printf("pcap trace on:%s%s%s, %d of %d captured, %d skipped, file %s%n",
            (k & PcapCapture.RX) != 0 ? " rx" : "", (k & PcapCapture.TX) != 0 ? " tx" : "",
            (k & PcapCapture.DROP) != 0 ? " drop" : "", pcap.captured(), pcap.maxPackets(), pcap.skipped(), pcap.file());
    }
}
