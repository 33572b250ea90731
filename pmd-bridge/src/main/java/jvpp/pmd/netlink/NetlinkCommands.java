package jvpp.pmd.netlink;

import java.nio.charset.StandardCharsets;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliAction;
import jvpp.core.cli.CliException;
import jvpp.core.cli.CliInput;
import jvpp.core.sys.Capabilities;

/**
 * Host-plumbing commands over netlink (jvpp extensions to vppctl's syntax):
 * <ul>
 * <li>{@code create veth name <a> peer <b> [peer-ns <netns>]}: create the pair, {@code b} made directly in
 * {@code netns} (created when missing), bring both ends up. Prints nothing on success (like
 * {@code ip link add}): a veth is a kernel device, not a jvpp interface; attach one with
 * {@code create host-interface name <a>}.</li>
 * <li>{@code delete veth name <a>}: delete the pair (only a veth).</li>
 * <li>{@code create netns <name>} / {@code delete netns <name>}: named namespaces as {@code ip netns}.</li>
 * </ul>
 * Each command checks what it can before it changes anything, and a failure half-way rolls back what it
 * had done (the veth, a namespace it created), so a failed command leaves the host as it found it.
 *
 * <p>Thread: {@link #register} at boot; the commands run on main, as every command does.
 */
public final class NetlinkCommands
{
    /** IFNAMSIZ minus the terminating NUL. */
    static final int MAX_IFNAME_BYTES = 15;

    private NetlinkCommands()
    {
    }

    /** Register the commands with {@code vpp}'s CLI; a second call does nothing. */
    public static void register(final Jvpp vpp)
    {
        if (vpp.cli().has("create veth"))
        {
            return;
        }
        vpp.cli().register("create veth", "Create a veth pair, one end optionally in a network namespace (jvpp)",
            "create veth name <a> peer <b> [peer-ns <netns>]", NetlinkCommands::parseCreateVeth);
        vpp.cli().register("delete veth", "Delete a veth pair (jvpp)", "delete veth name <a>",
            NetlinkCommands::parseDeleteVeth);
        vpp.cli().register("create netns", "Create a named network namespace, as ip netns add (jvpp)",
            "create netns <name>", in -> parseCreateNetns(in, vpp));
        vpp.cli().register("delete netns", "Delete a named network namespace, as ip netns del (jvpp)",
            "delete netns <name>", NetlinkCommands::parseDeleteNetns);
    }

    /** Whether the kernel would accept {@code name} as a device name (dev_valid_name). */
    public static boolean isValidIfName(final String name)
    {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals(".."))
        {
            return false;
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_IFNAME_BYTES)
        {
            return false;
        }
        // '%' would make the kernel pick the name from a template (veth%d): refuse it, we must know the name
        return name.chars().noneMatch(c -> c == '/' || c == ':' || c == '%' || Character.isWhitespace(c));
    }

    private static CliAction parseCreateVeth(final CliInput in) throws CliException
    {
        String a = null;
        String b = null;
        String netns = null;
        while (!in.atEnd())
        {
            if (in.accept("name"))
            {
                a = requireIfName(in.next("interface name"));
            }
            else if (in.accept("peer"))
            {
                b = requireIfName(in.next("peer interface name"));
            }
            else if (in.accept("peer-ns"))
            {
                netns = requireNetnsName(in.next("netns name"));
            }
            else
            {
                throw in.unknown();
            }
        }
        if (a == null)
        {
            throw new CliException("missing interface name");
        }
        if (b == null)
        {
            throw new CliException("missing peer interface name");
        }
        if (a.equals(b))
        {
            throw new CliException("interface and peer must have different names");
        }
        requireForLink(netns);
        final boolean netnsExists = netns != null && NetNs.exists(netns);
        try (RtNetlink rt = RtNetlink.open())
        {
            if (rt.linkExists(a))
            {
                throw new CliException("interface " + a + " already exists");
            }
            if (netns == null && rt.linkExists(b))
            {
                throw new CliException("interface " + b + " already exists");
            }
            if (netnsExists)
            {
                try (RtNetlink inNs = RtNetlink.open(netns))
                {
                    if (inNs.linkExists(b))
                    {
                        throw new CliException("interface " + b + " already exists in netns " + netns);
                    }
                }
            }
        }
        catch (final NetlinkException ex)
        {
            throw new CliException(ex.detail());
        }
        final String name = a;
        final String peer = b;
        final String ns = netns;
        return createVethAction(name, peer, ns, !netnsExists, null);
    }

    /**
     * The action of {@code create veth}. {@code afterMove} runs once the peer is in its namespace, before the
     * ends go up: a seam for tests to make the command fail half-way; null in the product.
     */
    static CliAction createVethAction(final String a, final String b, final String netns, final boolean createNetns,
        final Runnable afterMove)
    {
        return out -> createVeth(a, b, netns, createNetns, afterMove);
    }

    private static void createVeth(final String a, final String b, final String netns, final boolean createNetns,
        final Runnable afterMove) throws CliException
    {
        boolean netnsCreated = false;
        boolean vethCreated = false;
        try (RtNetlink rt = RtNetlink.open())
        {
            try
            {
                if (netns != null && createNetns)
                {
                    NetNs.create(netns);
                    netnsCreated = true;
                }
                if (netns == null)
                {
                    rt.createVeth(a, b);
                    vethCreated = true;
                    rt.setLinkUp(b, true);
                }
                else
                {
                    // the peer is made in its namespace, never here: its name may be taken here (eth0)
                    final int fd = NetNs.open(netns);
                    try
                    {
                        rt.createVeth(a, b, fd);
                        vethCreated = true;
                    }
                    finally
                    {
                        NetNs.close(fd);
                    }
                    if (afterMove != null)
                    {
                        afterMove.run();
                    }
                    try (RtNetlink inNs = RtNetlink.open(netns))
                    {
                        inNs.setLinkUp(b, true);
                    }
                }
                rt.setLinkUp(a, true);
            }
            catch (final NetlinkException ex)
            {
                if (vethCreated)
                {
                    deleteQuietly(rt, a);
                }
                if (netnsCreated)
                {
                    try
                    {
                        NetNs.delete(netns);
                    }
                    catch (final NetlinkException ignore)
                    {
                        // the original failure is what the user needs to see
                    }
                }
                throw new CliException(ex.detail());
            }
        }
        catch (final NetlinkException ex)
        {
            throw new CliException(ex.detail());
        }
    }

    private static void deleteQuietly(final RtNetlink rt, final String name)
    {
        try
        {
            rt.deleteLink(name);
        }
        catch (final NetlinkException ignore)
        {
            // rolling back: the device may already be gone with its peer
        }
    }

    private static CliAction parseDeleteVeth(final CliInput in) throws CliException
    {
        in.expect("name");
        final String a = requireIfName(in.next("interface name"));
        in.end();
        try (RtNetlink rt = RtNetlink.open())
        {
            final LinkInfo info = rt.linkInfo(a);
            if (info == null)
            {
                throw new CliException("unknown interface `" + a + "'");
            }
            if (!"veth".equals(info.kind()))
            {
                throw new CliException(a + " is not a veth interface");
            }
        }
        catch (final NetlinkException ex)
        {
            throw new CliException(ex.detail());
        }
        return out -> {
            try (RtNetlink rt = RtNetlink.open())
            {
                rt.deleteLink(a);
            }
            catch (final NetlinkException ex)
            {
                throw new CliException(ex.detail());
            }
        };
    }

    /**
     * jvpp removes a namespace it created when it exits (SIGTERM, quit from the console, a failed boot), so
     * that a demo or a test leaves nothing behind.
     */
    private static CliAction parseCreateNetns(final CliInput in, final Jvpp vpp) throws CliException
    {
        final String name = requireNetnsName(in.next("netns name"));
        in.end();
        require(Capabilities.Cap.SYS_ADMIN);
        if (NetNs.exists(name))
        {
            throw new CliException("netns " + name + " already exists");
        }
        return out -> {
            try
            {
                NetNs.create(name);
            }
            catch (final NetlinkException ex)
            {
                throw new CliException(ex.detail());
            }
            vpp.onClose(() -> {
                if (NetNs.exists(name))
                {
                    NetNs.delete(name);
                }
            });
        };
    }

    /**
     * Host plumbing needs capabilities (CAP_NET_ADMIN for links, CAP_SYS_ADMIN for namespaces, CAP_NET_RAW for
     * AF_PACKET): name the missing ones, how to grant them, and what runs without.
     */
    public static void require(final Capabilities.Cap... caps) throws CliException
    {
        final String why = Capabilities.explainMissing(Capabilities.effective(), caps);
        if (why != null)
        {
            throw new CliException(why + "; without them, the packet-generator router runs: bin/jvpp -c conf/pg.conf");
        }
    }

    /** Making a link needs CAP_NET_ADMIN; moving it into namespace {@code netns} (null: none) CAP_SYS_ADMIN too. */
    public static void requireForLink(final String netns) throws CliException
    {
        if (netns == null)
        {
            require(Capabilities.Cap.NET_ADMIN);
        }
        else
        {
            require(Capabilities.Cap.NET_ADMIN, Capabilities.Cap.SYS_ADMIN);
        }
    }

    private static CliAction parseDeleteNetns(final CliInput in) throws CliException
    {
        final String name = requireNetnsName(in.next("netns name"));
        in.end();
        if (!NetNs.exists(name))
        {
            throw new CliException("unknown netns `" + name + "'");
        }
        return out -> {
            try
            {
                NetNs.delete(name);
            }
            catch (final NetlinkException ex)
            {
                throw new CliException(ex.detail());
            }
        };
    }

    /** {@code name} when Linux can have it as an interface name, else the CLI error. */
    public static String requireIfName(final String name) throws CliException
    {
        if (!isValidIfName(name))
        {
            throw new CliException("invalid interface name `" + name + "'");
        }
        return name;
    }

    /** {@code name} when it can name a network namespace, else the CLI error. */
    public static String requireNetnsName(final String name) throws CliException
    {
        if (!NetNs.isValidName(name))
        {
            throw new CliException("invalid netns name `" + name + "'");
        }
        return name;
    }
}
