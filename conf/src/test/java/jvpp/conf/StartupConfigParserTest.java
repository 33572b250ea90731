package jvpp.conf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jvpp.core.config.ConfigException;
import jvpp.core.config.ConfigItem;
import jvpp.pmd.dpdk.DpdkConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class StartupConfigParserTest
{
    private static final String F = "startup.conf";

    @TempDir
    Path dir;

    private static StartupConfig parse(final String text) throws ConfigException
    {
        return StartupConfigParser.parse(text, F, null);
    }

    private static String error(final String text)
    {
        return assertThrows(ConfigException.class, () -> parse(text)).getMessage();
    }

    @Test
    void shouldBuildTreeWithLinesWhenBlocksAreNested() throws ConfigException
    {
        final List<ConfigItem> tree = ConfigTreeParser.parse(
            "dpdk {\n  dev 0000:02:00.1 { name eth0 num-rx-queues 2 }\n  no-pci\n}\nunix { nodaemon }\n", F);
        assertEquals(2, tree.size());
        final ConfigItem dpdk = tree.get(0);
        assertEquals("dpdk", dpdk.word());
        assertEquals(1, dpdk.line());
        assertEquals(List.of("dev", "0000:02:00.1", "no-pci"), dpdk.block().stream().map(ConfigItem::word).toList());
        final ConfigItem dev = dpdk.block().get(1);
        assertEquals(2, dev.line());
        assertEquals(List.of("name", "eth0", "num-rx-queues", "2"), dev.block().stream().map(ConfigItem::word).toList());
        assertEquals(3, dpdk.block().get(2).line());
        assertFalse(dpdk.block().get(2).hasBlock());
        assertEquals(5, tree.get(1).line());
    }

    @Test
    void shouldSplitWordsWhenBracesTouchThem() throws ConfigException
    {
        final List<ConfigItem> tree = ConfigTreeParser.parse("unix{nodaemon}cpu{main-core 1}", F);
        assertEquals(List.of("unix", "cpu"), tree.stream().map(ConfigItem::word).toList());
        assertEquals("nodaemon", tree.get(0).block().get(0).word());
        assertEquals(0, parse("unix{nodaemon}cpu{main-core 0}").context().mainCore());
    }

    @Test
    void shouldIgnoreCommentsWhenTheyRunToEndOfLine() throws ConfigException
    {
        final StartupConfig c = parse("# a comment { with braces\nunix { # nodaemn\n  interactive # } here too\n}\n");
        assertTrue(c.unix().interactive());
    }

    @Test
    void shouldReadEverySectionWhenConfigIsComplete() throws ConfigException, IOException
    {
        final Path conf = dir.resolve("startup.conf");
        Files.writeString(dir.resolve("setup.cli"), "show version\n");
        Files.writeString(conf, String.join("\n",
            "unix {",
            "  nodaemon",
            "  interactive",
            "  cli-listen /tmp/x/cli.sock",
            "  startup-config setup.cli",
            "  log /tmp/x/jvpp.log",
            "  gid vpp",
            "}",
            "cpu { main-core 1 }",
            "buffers { buffers-per-numa 4096 default data-size 4096 page-size 4k }",
            ""));
        final StartupConfig c = StartupConfigParser.parse(conf);
        assertEquals(conf.toString(), c.file());
        assertTrue(c.unix().interactive());
        assertEquals(Path.of("/tmp/x/cli.sock"), c.unix().cliListen());
        assertEquals(dir.resolve("setup.cli"), c.unix().startupConfig());
        assertEquals(Path.of("/tmp/x/jvpp.log"), c.unix().log());
        assertEquals("vpp", c.unix().gid());
        assertEquals(1, c.context().mainCore());
        assertEquals(4096, c.context().buffers());
        assertEquals(4096, c.context().dataSize());
        assertFalse(c.context().hugepages());
    }

    @Test
    void shouldUseDefaultsWhenConfigIsEmpty() throws ConfigException
    {
        final StartupConfig c = parse("# nothing\n");
        assertEquals(UnixConfig.CLI_LISTEN_DEFAULT, c.unix().cliListen());
        assertNull(c.unix().startupConfig());
        assertNull(c.unix().log());
        assertNull(c.unix().gid());
        assertEquals(-1, c.context().mainCore());
        assertEquals(16384, c.context().buffers());
        assertEquals(2048, c.context().dataSize());
        assertTrue(c.context().hugepages());
        assertFalse(c.unix().interactive());
    }

    @Test
    void shouldPutRelativeSocketUnderRunDirWhenCliListenIsRelative() throws ConfigException
    {
        assertEquals(Path.of("/run/jvpp/my.sock"), parse("unix { cli-listen my.sock }").unix().cliListen());
    }

    @Test
    void shouldNameFileAndLineWhenKeyIsUnknown()
    {
        assertEquals("startup.conf:1: unknown input `nodaemn'", error("unix { nodaemn }"));
        assertEquals("startup.conf:3: unknown input `nodaemn'", error("unix {\n  interactive\n  nodaemn\n}"));
    }

    @Test
    void shouldNameFileAndLineWhenSectionIsUnknown()
    {
        assertEquals("startup.conf:2: unknown input `dpkd'", error("unix { nodaemon }\ndpkd { no-pci }"));
    }

    @Test
    void shouldRejectValueWhenNotANumber()
    {
        assertEquals("startup.conf:2: buffers-per-numa: expected a number, got `x'",
            error("buffers {\n  buffers-per-numa x\n}"));
        assertEquals("startup.conf:1: main-core: expected a number, got `one'", error("cpu { main-core one }"));
        assertEquals("startup.conf:1: data-size: must be between 256 and 65536, got 100",
            error("buffers { default data-size 100 }"));
        assertEquals("startup.conf:1: buffers-per-numa: must be between 1 and 4194304, got 0",
            error("buffers { buffers-per-numa 0 }"));
    }

    @Test
    void shouldRejectKeyWhenValueIsMissing()
    {
        assertEquals("startup.conf:1: cli-listen: expected a socket path or <host>:<port>", error("unix { cli-listen }"));
        assertEquals("startup.conf:1: default: expected `data-size'", error("buffers { default }"));
        assertEquals("startup.conf:1: unknown input `size'", error("buffers { default size 2048 }"));
    }

    @Test
    void shouldNameOpeningLineWhenClosingBraceIsMissing()
    {
        assertEquals("startup.conf:2: missing `}' to close `unix {'", error("\nunix {\n  nodaemon\n"));
    }

    @Test
    void shouldRejectBraceWhenUnbalanced()
    {
        assertEquals("startup.conf:4: unexpected `}'", error("unix {\n nodaemon\n}\n}"));
        assertEquals("startup.conf:1: unexpected `{'", error("{ nodaemon }"));
        assertEquals("startup.conf:1: unix: expected `{'", error("unix nodaemon"));
        assertEquals("startup.conf:1: nodaemon: unexpected `{'", error("unix { nodaemon { } }"));
    }

    @Test
    void shouldRejectPathsWithNulWhenTheFileSystemCannotHaveThem()
    {
        // Found by StartupConfigFuzzTest (crash-nul-in-cli-listen-path): was an InvalidPathException.
        assertEquals("startup.conf:1: cli-listen: not a valid path: Nul character not allowed",
            error("unix { cli-listen /run/a\0b }"));
        assertEquals("startup.conf:2: log: not a valid path: Nul character not allowed", error("unix {\n log a\0 }"));
        assertEquals("startup.conf:1: startup-config: not a valid path: Nul character not allowed",
            error("unix { startup-config \0 }"));
    }

    @Test
    void shouldRejectCoreListsWithEmptyRangesWhenTheyCannotBeRead()
    {
        // Found by StartupConfigFuzzTest (crash-corelist-dash): "-" split into no parts, an index out of bounds.
        for (final String list : new String[] {"-", "-3", "1-", "1,,2", "1-2-3", ",", "99999999999"})
        {
            assertEquals("startup.conf:1: corelist-workers: expected a core list like 1-3,5, got `" + list + "'",
                error("cpu { corelist-workers " + list + " }"), list);
        }
    }

    @Test
    void shouldRejectStartupConfigWhenFileIsMissing()
    {
        final String msg = assertThrows(ConfigException.class,
            () -> StartupConfigParser.parse("unix {\n startup-config nope.cli }", F, dir)).getMessage();
        assertEquals("startup.conf:2: startup-config: cannot read `" + dir.resolve("nope.cli") + "'", msg);
    }

    @Test
    void shouldListenOnTcpOnlyWhereToldWhenCliListenIsHostAndPort() throws ConfigException
    {
        final StartupConfig tcp = parse("unix { cli-listen 127.0.0.1:5002 }");
        assertEquals(new java.net.InetSocketAddress("127.0.0.1", 5002), tcp.unix().cliListenTcp());
        assertEquals(null, tcp.unix().cliListen(), "TCP instead of the socket, as VPP");
        assertEquals(null, parse("unix { }").unix().cliListenTcp(), "no TCP unless configured");
        assertEquals(null, parse("unix { cli-listen /run/x.sock }").unix().cliListenTcp());
        assertEquals("startup.conf:1: cli-listen: `localhost:99999': port out of range (1-65535)",
            error("unix { cli-listen localhost:99999 }"));
        assertEquals("startup.conf:1: cli-listen: unknown host `no-such-host.invalid'",
            error("unix { cli-listen no-such-host.invalid:5002 }"));
    }

    @Test
    void shouldNameMissingFileWhenConfigDoesNotExist()
    {
        final Path missing = dir.resolve("none.conf");
        assertEquals(missing + ": no such file",
            assertThrows(ConfigException.class, () -> StartupConfigParser.parse(missing)).getMessage());
    }

    @Test
    void shouldReadTheDpdkSectionIntoDevicesVdevsAndEalArguments() throws ConfigException
    {
        final StartupConfig c = parse(String.join("\n",
            "dpdk {",
            "  dev default { num-rx-queues 2 num-rx-desc 2048 }",
            "  dev 0000:02:00.1 { name eth0 num-tx-queues 4 }",
            "  dev 03:00.0",
            "  vdev net_af_packet0,iface=veth1",
            "  vdev 7870:00:00.0,mac=60:45:bd:a5:a4:83",
            "  no-huge  no-huge-memory 512  iova-mode va  file-prefix jv1  log-level notice",
            "}"));
        final DpdkConfig d = c.context().settings(DpdkConfig.class);
        assertEquals(2, d.devices().size());
        assertEquals(new DpdkConfig.Device("0000:02:00.1", "eth0", 2, 4, 2048, 1024), d.devices().get(0));
        assertEquals(new DpdkConfig.Device("0000:03:00.0", null, 2, 1, 2048, 1024), d.devices().get(1));
        assertEquals(List.of("net_af_packet0,iface=veth1", "7870:00:00.0,mac=60:45:bd:a5:a4:83"), d.vdevs());
        assertEquals(List.of("jvpp", "-l", "0", "--file-prefix=jv1", "-a", "0000:02:00.1", "-a", "0000:03:00.0",
            "--vdev=net_af_packet0,iface=veth1", "--vdev=7870:00:00.0,mac=60:45:bd:a5:a4:83", "--no-huge", "--no-shconf",
            "-m", "512", "--iova-mode=va", "--log-level=notice"), d.ealArgs(0));
        assertNull(parse("unix { nodaemon }").context().settings(DpdkConfig.class),
            "no dpdk section: the pure-Java drivers only");
    }

    @Test
    void shouldNameTheLineOfEveryDpdkError()
    {
        assertEquals(F + ":2: dev: expected a PCI address like 0000:02:00.1, got `eth0'", error("dpdk {\n dev eth0\n}"));
        assertEquals(F + ":2: num-rx-desc: must be a power of 2, got 1000",
            error("dpdk {\n dev 0000:02:00.1 { num-rx-desc 1000 }\n}"));
        assertEquals(F + ":3: unknown input `no-pcie'", error("dpdk {\n no-huge\n no-pcie\n}"));
        assertEquals(F + ":1: iova-mode: expected va or pa, got `xx'", error("dpdk { iova-mode xx }"));
        assertEquals(F + ":1: dev 0000:02:00.1: conflicts with no-pci", error("dpdk { dev 0000:02:00.1 no-pci }"));
        assertEquals(F + ":1: vdev: expected vdev arguments, e.g. net_af_packet0,iface=veth1", error("dpdk { vdev }"));
    }

    @Test
    void shouldSetWorkersAndTheirIdleStrategyWhenCpuSaysSo() throws ConfigException
    {
        final StartupConfig c = parse("cpu {\n main-core 1\n corelist-workers 2-3,5\n idle yield\n}");
        assertArrayEquals(new int[] {2, 3, 5}, c.context().workerCores());
        assertEquals("yield", c.context().workerIdle());
        assertEquals("busy-spin", parse("cpu { main-core 1 }").context().workerIdle(), "the default");
    }

    @Test
    void shouldNameTheValidChoicesAndTheLineWhenTheIdleStrategyIsUnknown()
    {
        assertEquals(F + ":3: idle: expected busy-spin, yield or backoff, got `fast'",
            error("cpu {\n workers 1\n idle fast\n}"));
        assertEquals(F + ":1: idle: expected busy-spin, yield or backoff", error("cpu { idle }"));
    }

    @Test
    void shouldSetTheDefaultRxModeWhenCpuSaysSoAndNameTheChoicesOtherwise() throws ConfigException
    {
        assertEquals(jvpp.core.iface.RxMode.INTERRUPT, parse("cpu { rx-mode interrupt }").context().rxMode());
        assertEquals(jvpp.core.iface.RxMode.ADAPTIVE, parse("cpu { main-core 1 }").context().rxMode(), "the default");
        assertEquals(F + ":2: rx-mode: expected polling, interrupt or adaptive, got `fast'",
            error("cpu {\n rx-mode fast\n}"));
    }

    @Test
    void shouldNameTheSectionLineWhenCpuGivesBothWorkerForms()
    {
        assertEquals(F + ":2: cpu: give corelist-workers or workers, not both",
            error("unix { nodaemon }\ncpu {\n workers 2\n corelist-workers 1-2\n}"));
        assertEquals(F + ":1: corelist-workers: at most 64 workers, got 100", error("cpu { corelist-workers 0-99 }"));
    }

    @Test
    void shouldAddToAnEarlierSectionWhenASectionAppearsAgain() throws ConfigException
    {
        final StartupConfig c = parse("unix { interactive }\nbuffers { buffers-per-numa 4096 }\nunix { gid vpp }\n"
            + "buffers { buffers-per-numa 8192 }");
        assertTrue(c.unix().interactive());
        assertEquals("vpp", c.unix().gid());
        assertEquals(8192, c.context().buffers(), "later keys override earlier ones");
    }
}
