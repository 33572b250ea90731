package jvpp.conf;

import java.nio.file.Path;

import jvpp.core.Jvpp;

/**
 * A validated startup.conf: everything the boot sequence needs, checked before anything starts.
 * {@link StartupConfigParser} builds it; {@link #defaults()} is what an empty file means.
 *
 * @param file           the file it came from, as named by the user ({@code <command line>} for arguments)
 * @param interactive    {@code unix { interactive }}: a console on the process's terminal
 * @param cliListen      {@code unix { cli-listen }}: the CLI socket, or null when it is TCP
 * @param cliListenTcp   {@code unix { cli-listen <host>:<port> }}: the CLI on TCP there instead, or null
 * @param startupConfig  {@code unix { startup-config }}: CLI commands to run at boot (resolved against the
 *                       config file's directory), or null
 * @param log            {@code unix { log }}: a file the log is appended to as well, or null
 * @param gid            {@code unix { gid }}: the group (number or name) meant to own the CLI socket, or null
 * @param mainCore       {@code cpu { main-core }}: the CPU main is pinned to, or -1
 * @param buffersPerNuma {@code buffers { buffers-per-numa }}
 * @param dataSize       {@code buffers { default data-size }}
 * @param hugepages      {@code buffers { page-size }}: try 2 MB hugepages first (the default) or not
 * @param dpdk           {@code dpdk { }}, or null when the config has none (the pure-Java drivers only)
 * @param workerCores    {@code cpu { corelist-workers | workers }}: one core per worker thread (none: main does all)
 * @param workerIdle     {@code cpu { idle }}: the workers' idle strategy
 *
 * <p>Thread: any (immutable).
 */
public record StartupConfig(
    String file,
    boolean interactive,
    Path cliListen,
    java.net.InetSocketAddress cliListenTcp,
    Path startupConfig,
    Path log,
    String gid,
    int mainCore,
    int buffersPerNuma,
    int dataSize,
    boolean hugepages,
    DpdkConfig dpdk,
    int[] workerCores,
    String workerIdle)
{
    public static final Path DEFAULT_CLI_LISTEN = jvpp.cli.CliProtocol.defaultSocket();
    public static final int DEFAULT_BUFFERS_PER_NUMA = 16384;
    public static final int DEFAULT_DATA_SIZE = 2048;

    /** What an empty startup.conf means. */
    public static StartupConfig defaults()
    {
        return new StartupConfig("<defaults>", false, DEFAULT_CLI_LISTEN, null, null, null, null, -1,
            DEFAULT_BUFFERS_PER_NUMA, DEFAULT_DATA_SIZE, true, null, new int[0], "busy-spin");
    }

    /** The boot parameters {@link Jvpp#create(Jvpp.Context)} takes. */
    public Jvpp.Context jvppConfig()
    {
        return new Jvpp.Context()
            .buffers(buffersPerNuma)
            .dataSize(dataSize)
            .hugepages(hugepages)
            .mainCore(mainCore)
            .workers(workerCores)
            .workerIdle(workerIdle);
    }
}
