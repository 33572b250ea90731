package jvpp.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import jvpp.conf.testing.JvppProcess;
import jvpp.core.testing.Commands;
import jvpp.core.testing.HostNet;
import jvpp.core.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may talk to the daemon, and what it does when it lacks the rights it needs. Root only (it switches
 * users and drops capabilities with {@code setpriv}, from util-linux):
 * <ul>
 *   <li>the CLI socket is 0660, owned by root and by the group of {@code unix { gid }}; a client of another uid
 *       in that group connects, one without it is refused by the kernel;</li>
 *   <li>no TCP listener unless {@code cli-listen <host>:<port>}; then exactly one, there, and a warning;</li>
 *   <li>a root without capabilities gets "needs CAP_..." naming the missing one, not EPERM from deep inside;</li>
 *   <li>SIGTERM releases the tap it made and removes the socket.</li>
 * </ul>
 */
@RequiresRoot(value = "socket ownership, setpriv and capabilities", commands = {"ip", "ping", "setpriv", "ss"})
class SecurityTest
{
    private static final String NOBODY = "65534";
    private final HostNet net = new HostNet();
    private final List<JvppProcess> started = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void setUp() throws IOException
    {
        // World-traversable (a TempDir is 0700): the other uid must reach the socket for the kernel to judge it.
        dir = Files.createTempDirectory("jvpp-security-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() throws Exception
    {
        for (final JvppProcess p : started)
        {
            p.close();
        }
        net.close();
        if (dir != null)
        {
            try (var files = Files.walk(dir))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private JvppProcess boot(final String conf, final List<String> wrapper) throws IOException
    {
        final Path file = dir.resolve("jvpp-" + started.size() + ".conf");
        Files.writeString(file, conf + "\nbuffers { buffers-per-numa 4096 page-size 4k }\n");
        final Path out = Files.createDirectories(dir.resolve("out-" + started.size()));
        final JvppProcess p = JvppProcess.start(file, out, wrapper);
        started.add(p);
        return p;
    }

    /** Connect to {@code socket} as {@code uid}:{@code gid} (no supplementary groups) from a fresh JVM. */
    private Commands.Result connectAs(final String uid, final String gid, final Path socket) throws IOException
    {
        final Path source = dir.resolve("Connect.java");
        Files.writeString(source, """
            public class Connect {
                public static void main(String[] a) throws Exception {
                    try (var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                        ch.connect(java.net.UnixDomainSocketAddress.of(a[0]));
                        System.out.println("connected");
                    } catch (java.io.IOException e) {
                        System.out.println("refused: " + e.getMessage());
                    }
                }
            }
            """);
        return HostNet.exec("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:-UsePerfData",
            source.toString(), socket.toString());
    }

    /** The TCP ports {@code pid} listens on, as {@code ss} shows them ({@code <address>:<port>}). */
    private static List<String> tcpListeners(final long pid)
    {
        final List<String> out = new ArrayList<>();
        for (final String line : HostNet.run("ss", "-ltnpH").split("\n"))
        {
            if (line.contains("pid=" + pid + ","))
            {
                out.add(line.trim().split("\\s+")[3]);
            }
        }
        return out;
    }

    @Test
    void shouldLetOnlyRootAndTheConfiguredGroupOntoTheSocket() throws Exception
    {
        final Path socket = dir.resolve("cli.sock");
        final JvppProcess jvpp = boot("unix { cli-listen " + socket + " gid nogroup }", List.of());
        jvpp.awaitReady(socket);
        final PosixFileAttributes a = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals("rw-rw----", PosixFilePermissions.toString(a.permissions()));
        assertEquals("root", a.owner().getName());
        assertEquals("nogroup", a.group().getName());

        final Commands.Result member = connectAs(NOBODY, NOBODY, socket);
        assertEquals("connected", member.output().trim(), "nobody:nogroup is in the socket's group");
        final Commands.Result outsider = connectAs(NOBODY, "65533", socket);
        assertTrue(outsider.output().contains("refused") && outsider.output().contains("Permission denied"),
            outsider.output());
        assertTrue(tcpListeners(jvpp.process().pid()).isEmpty(), "no TCP listener unless configured");
    }

    @Test
    void shouldListenOnTcpOnlyWhereToldAndWarn() throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final JvppProcess jvpp = boot("unix { cli-listen 127.0.0.1:" + port + " }", List.of());
        final String target = "127.0.0.1:" + port;
        final long deadline = System.currentTimeMillis() + JvppProcess.TIMEOUT_MS;
        JvppProcess.Ctl r = JvppProcess.ctl(target, "show", "version");
        while (r.status() != 0 && System.currentTimeMillis() < deadline && jvpp.process().isAlive())
        {
            Thread.sleep(100);
            r = JvppProcess.ctl(target, "show", "version");
        }
        assertEquals(0, r.status(), r.err() + jvpp.stderr());
        assertEquals(List.of("127.0.0.1:" + port), tcpListeners(jvpp.process().pid()));
        assertTrue((jvpp.stdout() + jvpp.stderr()).contains("without authentication"), jvpp.stderr());
    }

    @Test
    void shouldNameTheMissingCapabilityWhenRootHasNone() throws Exception
    {
        final List<String> noCaps = List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all");
        final String ns = net.name("sc");
        Files.writeString(dir.resolve("netns.cli"), "create netns " + ns + "\n");
        final JvppProcess netns = boot("unix { cli-listen " + dir.resolve("a.sock") + " startup-config "
            + dir.resolve("netns.cli") + " }", noCaps);
        assertEquals(1, netns.awaitExit());
        assertTrue(netns.stderr().contains("create netns: needs CAP_SYS_ADMIN"), netns.stderr());
        assertFalse(Files.exists(Path.of("/run/netns", ns)));

        Files.writeString(dir.resolve("tap.cli"), "create tap id 0 host-if-name " + net.name("st") + "\n");
        final JvppProcess tap = boot("unix { cli-listen " + dir.resolve("b.sock") + " startup-config "
            + dir.resolve("tap.cli") + " }", noCaps);
        assertEquals(1, tap.awaitExit());
        assertTrue(tap.stderr().contains("create tap: needs CAP_NET_ADMIN"), tap.stderr());

        if (jvpp.pmd.dpdk.DpdkPorts.available())
        {
            final JvppProcess dpdk = boot("unix { cli-listen " + dir.resolve("c.sock") + " }\n"
                + "dpdk { no-pci no-huge file-prefix " + net.name("sd") + " vdev net_af_packet0,iface=lo }", noCaps);
            assertEquals(1, dpdk.awaitExit());
            assertTrue(dpdk.stderr().contains("dpdk { }: needs CAP_NET_RAW"), dpdk.stderr());
        }
    }

    @Test
    void shouldReleaseTheTapAndTheSocketOnSigterm() throws Exception
    {
        final Path socket = dir.resolve("cli.sock");
        final String host = net.name("sg");
        net.ownLink(host);
        Files.writeString(dir.resolve("tap.cli"), "create tap id 0 host-if-name " + host + "\n");
        final JvppProcess jvpp = boot("unix { cli-listen " + socket + " startup-config " + dir.resolve("tap.cli")
            + " }", List.of());
        jvpp.awaitReady(socket);
        assertEquals(0, HostNet.exec("ip", "link", "show", host).status(), "the tap's host end exists");
        final int exit = jvpp.terminate();
        assertNotEquals(0, HostNet.exec("ip", "link", "show", host).status(), "gone with the daemon");
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "socket removed");
        assertTrue(jvpp.stderr().contains("shutting down") || jvpp.stdout().contains("shutting down"),
            "exit " + exit + ": " + jvpp.stderr());
    }
}
