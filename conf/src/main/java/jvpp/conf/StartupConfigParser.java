package jvpp.conf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads VPP's startup.conf syntax into a validated {@link StartupConfig}, before anything boots.
 *
 * <p>Syntax: {@code section { key value ... nested { ... } }}; words are separated by white space, a brace
 * is a word of its own even when it touches another ({@code unix{nodaemon}}), {@code #} starts a comment
 * that runs to the end of the line. The text first becomes a tree of {@link ConfigItem}s with their line
 * numbers, then each section is read into typed values.
 *
 * <p>Every error names the file and the line: {@code <file>:<line>: unknown input `<word>'} for a section,
 * key or word it does not know, {@code <file>:<line>: <key>: <what is wrong>} for a bad value, and
 * {@code missing `}'} / {@code unexpected `}'} for unbalanced braces.
 *
 * <p>Thread: any (stateless).
 */
public final class StartupConfigParser
{
    /** Where a relative {@code cli-listen} path goes, as VPP puts it under its runtime directory. */
    public static final Path RUNTIME_DIR = StartupConfig.DEFAULT_CLI_LISTEN.getParent();

    private static final int MAX_BUFFERS = 4 << 20;
    private static final int MAX_CPU = 4095;

    private StartupConfigParser()
    {
    }

    /** Read and validate {@code file}; relative paths inside resolve against its directory. */
    public static StartupConfig parse(final Path file) throws StartupConfigException
    {
        final String text;
        try
        {
            text = Files.readString(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new StartupConfigException(file + ": no such file");
        }
        catch (final IOException ex)
        {
            throw new StartupConfigException(file + ": cannot read: " + ex.getMessage());
        }
        return parse(text, file.toString(), file.getParent());
    }

    /**
     * Validate startup.conf {@code text}.
     *
     * @param fileName what error messages call it
     * @param baseDir  what a relative {@code startup-config} resolves against (null: the working directory)
     */
    public static StartupConfig parse(final String text, final String fileName, final Path baseDir)
        throws StartupConfigException
    {
        return new Sections(fileName, baseDir).read(parseTree(text, fileName));
    }

    /** The syntax alone: the top-level items, each section with its block. */
    public static List<ConfigItem> parseTree(final String text, final String fileName) throws StartupConfigException
    {
        final List<ConfigItem> top = new ArrayList<>();
        final Deque<Open> open = new ArrayDeque<>();
        List<ConfigItem> current = top;
        boolean lastWasWord = false;
        int line = 1;
        int i = 0;
        final int n = text.length();
        while (i < n)
        {
            final char c = text.charAt(i);
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (Character.isWhitespace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < n && text.charAt(i) != '\n')
                {
                    i++;
                }
            }
            else if (c == '{')
            {
                if (!lastWasWord)
                {
                    throw StartupConfigException.at(fileName, line, "unexpected `{'");
                }
                final ConfigItem owner = current.remove(current.size() - 1);
                open.push(new Open(owner, current));
                current = new ArrayList<>();
                lastWasWord = false;
                i++;
            }
            else if (c == '}')
            {
                if (open.isEmpty())
                {
                    throw StartupConfigException.at(fileName, line, "unexpected `}'");
                }
                final Open o = open.pop();
                o.parent.add(new ConfigItem(o.owner.word(), o.owner.line(), List.copyOf(current)));
                current = o.parent;
                lastWasWord = false;
                i++;
            }
            else
            {
                final int start = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && "{}#".indexOf(text.charAt(i)) < 0)
                {
                    i++;
                }
                current.add(new ConfigItem(text.substring(start, i), line, null));
                lastWasWord = true;
            }
        }
        if (!open.isEmpty())
        {
            final ConfigItem owner = open.peek().owner;
            throw StartupConfigException.at(fileName, owner.line(), "missing `}' to close `" + owner.word() + " {'");
        }
        return List.copyOf(top);
    }

    private record Open(ConfigItem owner, List<ConfigItem> parent)
    {
    }

    /** The typed reading of the sections, accumulating into the fields of a {@link StartupConfig}. */
    private static final class Sections
    {
        private final String file;
        private final Path baseDir;
        private boolean interactive;
        private Path cliListen = StartupConfig.DEFAULT_CLI_LISTEN;
        private java.net.InetSocketAddress cliListenTcp;
        private Path startupConfig;
        private Path log;
        private String gid;
        private int mainCore = -1;
        private int buffersPerNuma = StartupConfig.DEFAULT_BUFFERS_PER_NUMA;
        private int dataSize = StartupConfig.DEFAULT_DATA_SIZE;
        private boolean hugepages = true;
        private DpdkConfig dpdk;
        private int[] workerCores = new int[0];
        private String workerIdle = "busy-spin";

        Sections(final String file, final Path baseDir)
        {
            this.file = file;
            this.baseDir = baseDir;
        }

        StartupConfig read(final List<ConfigItem> top) throws StartupConfigException
        {
            for (final ConfigItem section : top)
            {
                switch (section.word())
                {
                    case "unix":
                        unix(new Words(file, block(section)));
                        break;
                    case "cpu":
                        cpu(new Words(file, block(section)));
                        break;
                    case "buffers":
                        buffers(new Words(file, block(section)));
                        break;
                    case "dpdk":
                        dpdk = dpdk(new Words(file, block(section)));
                        break;
                    default:
                        throw StartupConfigException.at(file, section.line(), "unknown input `" + section.word() + "'");
                }
            }
            return new StartupConfig(file, interactive, cliListen, cliListenTcp, startupConfig, log, gid, mainCore,
                buffersPerNuma,
                dataSize, hugepages, dpdk, workerCores, workerIdle);
        }

        private List<ConfigItem> block(final ConfigItem section) throws StartupConfigException
        {
            if (!section.hasBlock())
            {
                throw StartupConfigException.at(file, section.line(), section.word() + ": expected `{'");
            }
            return section.block();
        }

        private void unix(final Words in) throws StartupConfigException
        {
            for (ConfigItem key = in.nextKey(); key != null; key = in.nextKey())
            {
                switch (key.word())
                {
                    case "nodaemon":
                        // jvpp always runs in the foreground; accepted so that VPP configs need no edit
                        break;
                    case "interactive":
                        interactive = true;
                        break;
                    case "cli-listen":
                        cliListen(key, in.value(key, "a socket path or <host>:<port>"));
                        break;
                    case "startup-config":
                        startupConfig = startupConfig(key, in.value(key, "a file name"));
                        break;
                    case "log":
                        log = path(key, "log", in.value(key, "a file name"));
                        break;
                    case "gid":
                        gid = gid(key, in.value(key, "a group id or name"));
                        break;
                    default:
                        throw in.unknown(key);
                }
            }
        }

        /** A socket path, or (as VPP) {@code <host>:<port>} for TCP, bound only there. */
        private void cliListen(final ConfigItem key, final String value) throws StartupConfigException
        {
            final java.net.SocketAddress address;
            try
            {
                address = jvpp.cli.CliProtocol.address(value);
            }
            catch (final InvalidPathException ex)
            {
                throw StartupConfigException.at(file, key.line(), "cli-listen: not a valid path: " + ex.getReason());
            }
            catch (final IllegalArgumentException ex)
            {
                throw StartupConfigException.at(file, key.line(), "cli-listen: " + ex.getMessage());
            }
            if (address instanceof java.net.InetSocketAddress tcp)
            {
                if (tcp.isUnresolved())
                {
                    throw StartupConfigException.at(file, key.line(), "cli-listen: unknown host `" + tcp.getHostString()
                        + "'");
                }
                cliListenTcp = tcp;
                cliListen = null;
                return;
            }
            final Path p = path(key, "cli-listen", value);
            cliListen = p.isAbsolute() ? p : RUNTIME_DIR.resolve(p);
            cliListenTcp = null;
        }

        /** {@code value} as a path; a name the file system cannot have (a NUL in it) is the config's error. */
        private Path path(final ConfigItem key, final String what, final String value) throws StartupConfigException
        {
            try
            {
                return Path.of(value);
            }
            catch (final InvalidPathException ex)
            {
                throw StartupConfigException.at(file, key.line(), what + ": not a valid path: " + ex.getReason());
            }
        }

        private Path startupConfig(final ConfigItem key, final String value) throws StartupConfigException
        {
            final Path p = path(key, "startup-config", value);
            final Path resolved = p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
            if (!Files.isRegularFile(resolved) || !Files.isReadable(resolved))
            {
                throw StartupConfigException.at(file, key.line(), "startup-config: cannot read `" + resolved + "'");
            }
            return resolved;
        }

        private String gid(final ConfigItem key, final String value) throws StartupConfigException
        {
            if (!value.matches("[0-9]+|[a-z_][a-z0-9_.-]*\\$?"))
            {
                throw StartupConfigException.at(file, key.line(), "gid: expected a group id or name, got `" + value + "'");
            }
            return value;
        }

        private static final java.util.regex.Pattern PCI =
            java.util.regex.Pattern.compile("([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");
        private static final int MAX_QUEUES = 256;
        private static final int MAX_DESC = 65536;

        private DpdkConfig dpdk(final Words in) throws StartupConfigException
        {
            final List<DpdkConfig.Device> devs = new java.util.ArrayList<>();
            final List<String> vdevs = new java.util.ArrayList<>();
            int[] defaults = {1, 1, 1024, 1024};
            final List<ConfigItem> pending = new java.util.ArrayList<>();
            boolean noPci = false;
            boolean noHuge = false;
            int memoryMb = 256;
            String socketMem = null;
            String hugeDir = null;
            String prefix = null;
            String iova = null;
            String logLevel = null;
            String uio = null;
            for (ConfigItem key = in.nextKey(); key != null; key = in.nextKey())
            {
                switch (key.word())
                {
                    case "dev":
                    {
                        final ConfigItem dev = in.valueItem(key, "a PCI address or `default'");
                        if (dev.word().equals("default"))
                        {
                            defaults = devSettings(dev, defaults, null);
                        }
                        else if (PCI.matcher(dev.word()).matches())
                        {
                            pending.add(dev);
                        }
                        else
                        {
                            throw StartupConfigException.at(file, dev.line(),
                                "dev: expected a PCI address like 0000:02:00.1, got `" + dev.word() + "'");
                        }
                        break;
                    }
                    case "vdev":
                        vdevs.add(in.value(key, "vdev arguments, e.g. net_af_packet0,iface=veth1"));
                        break;
                    case "no-pci":
                        noPci = true;
                        break;
                    case "no-huge":
                        noHuge = true;
                        break;
                    case "no-huge-memory":
                        memoryMb = in.number(key, 64, 65536);
                        break;
                    case "socket-mem":
                        socketMem = in.value(key, "MB per socket, e.g. 1024,1024");
                        if (!socketMem.matches("[0-9]+(,[0-9]+)*"))
                        {
                            throw StartupConfigException.at(file, key.line(), "socket-mem: expected MB per socket like "
                                + "1024,1024, got `" + socketMem + "'");
                        }
                        break;
                    case "huge-dir":
                        hugeDir = in.value(key, "a directory");
                        break;
                    case "file-prefix":
                        prefix = in.value(key, "a prefix");
                        break;
                    case "iova-mode":
                        iova = in.value(key, "va or pa");
                        if (!iova.equals("va") && !iova.equals("pa"))
                        {
                            throw StartupConfigException.at(file, key.line(), "iova-mode: expected va or pa, got `" + iova + "'");
                        }
                        break;
                    case "log-level":
                        logLevel = in.value(key, "a log level");
                        break;
                    case "uio-driver":
                        uio = in.value(key, "a driver (vfio-pci, igb_uio, uio_pci_generic, auto)");
                        break;
                    default:
                        throw in.unknown(key);
                }
            }
            for (final ConfigItem dev : pending)
            {
                final String[] name = {null};
                final int[] d = devSettings(dev, defaults, name);
                final String pci = dev.word().length() == 7 ? "0000:" + dev.word() : dev.word();
                devs.add(new DpdkConfig.Device(pci.toLowerCase(), name[0], d[0], d[1], d[2], d[3]));
            }
            if (noPci && !devs.isEmpty())
            {
                throw StartupConfigException.at(file, pending.get(0).line(), "dev " + pending.get(0).word()
                    + ": conflicts with no-pci");
            }
            return new DpdkConfig(devs, vdevs, noPci, noHuge, memoryMb, socketMem, hugeDir, prefix, iova, logLevel, uio);
        }

        /** A {@code dev} block's settings over {@code base}: rx/tx queues, rx/tx descriptors; its name into name[0]. */
        private int[] devSettings(final ConfigItem dev, final int[] base, final String[] name) throws StartupConfigException
        {
            final int[] d = base.clone();
            if (!dev.hasBlock())
            {
                return d;
            }
            final Words w = new Words(file, dev.block());
            for (ConfigItem key = w.nextKey(); key != null; key = w.nextKey())
            {
                switch (key.word())
                {
                    case "name":
                        if (name == null)
                        {
                            throw StartupConfigException.at(file, key.line(), "dev default: name is per device");
                        }
                        name[0] = w.value(key, "an interface name");
                        break;
                    case "num-rx-queues":
                        d[0] = w.number(key, 1, MAX_QUEUES);
                        break;
                    case "num-tx-queues":
                        d[1] = w.number(key, 1, MAX_QUEUES);
                        break;
                    case "num-rx-desc":
                        d[2] = powerOfTwo(w, key);
                        break;
                    case "num-tx-desc":
                        d[3] = powerOfTwo(w, key);
                        break;
                    default:
                        throw w.unknown(key);
                }
            }
            return d;
        }

        private int powerOfTwo(final Words w, final ConfigItem key) throws StartupConfigException
        {
            final int v = w.number(key, 64, MAX_DESC);
            if (Integer.bitCount(v) != 1)
            {
                throw StartupConfigException.at(file, key.line(), key.word() + ": must be a power of 2, got " + v);
            }
            return v;
        }

        private void cpu(final Words in) throws StartupConfigException
        {
            int workers = -1;
            int skip = 0;
            int[] corelist = null;
            for (ConfigItem key = in.nextKey(); key != null; key = in.nextKey())
            {
                switch (key.word())
                {
                    case "main-core":
                        mainCore = in.number(key, 0, MAX_CPU);
                        break;
                    case "workers":
                        workers = in.number(key, 0, 64);
                        break;
                    case "skip-cores":
                        skip = in.number(key, 0, MAX_CPU);
                        break;
                    case "corelist-workers":
                        corelist = coreList(key, in.value(key, "a core list like 1-3,5"));
                        break;
                    case "idle":
                        workerIdle = in.value(key, "busy-spin, yield or backoff");
                        if (!List.of("busy-spin", "yield", "backoff").contains(workerIdle))
                        {
                            throw StartupConfigException.at(file, key.line(), "idle: expected busy-spin, yield or backoff, got `"
                                + workerIdle + "'");
                        }
                        break;
                    default:
                        throw in.unknown(key);
                }
            }
            if (corelist != null && workers >= 0)
            {
                throw StartupConfigException.at(file, 0, "cpu: give corelist-workers or workers, not both");
            }
            if (corelist != null)
            {
                workerCores = corelist;
            }
            else if (workers > 0)
            {
                // VPP: workers on the cores after main's (and after skip-cores), wrapping over what there is.
                final int cpus = Runtime.getRuntime().availableProcessors();
                workerCores = new int[workers];
                for (int w = 0; w < workers; w++)
                {
                    workerCores[w] = (Math.max(mainCore, 0) + 1 + skip + w) % cpus;
                }
            }
        }

        private int[] coreList(final ConfigItem key, final String text) throws StartupConfigException
        {
            final List<Integer> cores = new java.util.ArrayList<>();
            try
            {
                for (final String part : text.split(",", -1))
                {
                    // Only <n> or <n>-<m>: "-", "1-" or "-3" split into fewer parts than they look.
                    if (!part.matches("[0-9]{1,9}(-[0-9]{1,9})?"))
                    {
                        throw new NumberFormatException();
                    }
                    final String[] r = part.split("-");
                    final int from = Integer.parseInt(r[0]);
                    final int to = r.length == 2 ? Integer.parseInt(r[1]) : from;
                    if (to < from || to > MAX_CPU)
                    {
                        throw new NumberFormatException();
                    }
                    for (int c = from; c <= to; c++)
                    {
                        cores.add(c);
                    }
                }
            }
            catch (final NumberFormatException ex)
            {
                throw StartupConfigException.at(file, key.line(), "corelist-workers: expected a core list like 1-3,5, got `"
                    + text + "'");
            }
            return cores.stream().mapToInt(Integer::intValue).toArray();
        }

        private void buffers(final Words in) throws StartupConfigException
        {
            for (ConfigItem key = in.nextKey(); key != null; key = in.nextKey())
            {
                switch (key.word())
                {
                    case "buffers-per-numa":
                        buffersPerNuma = in.number(key, 1, MAX_BUFFERS);
                        break;
                    case "default":
                    {
                        final ConfigItem what = in.nextKey();
                        if (what == null)
                        {
                            throw StartupConfigException.at(file, key.line(), "default: expected `data-size'");
                        }
                        if (!what.word().equals("data-size"))
                        {
                            throw in.unknown(what);
                        }
                        dataSize = in.number(what, 256, 65536);
                        break;
                    }
                    case "page-size":
                        hugepages = pageSize(key, in.value(key, "a page size"));
                        break;
                    default:
                        throw in.unknown(key);
                }
            }
        }

        private boolean pageSize(final ConfigItem key, final String value) throws StartupConfigException
        {
            switch (value.toLowerCase())
            {
                case "4k":
                case "default":
                    return false;
                case "2m":
                case "default-hugepage":
                    return true;
                default:
                    throw StartupConfigException.at(file, key.line(),
                        "page-size: expected 4k, 2m, default or default-hugepage, got `" + value + "'");
            }
        }
    }

    /** The items of one section's block read as keys and their values. */
    private static final class Words
    {
        private final String file;
        private final List<ConfigItem> items;
        private int pos;

        Words(final String file, final List<ConfigItem> items)
        {
            this.file = file;
            this.items = items;
        }

        /** The next key, or null at the end of the block; a key must not open a block of its own. */
        ConfigItem nextKey() throws StartupConfigException
        {
            if (pos == items.size())
            {
                return null;
            }
            final ConfigItem key = items.get(pos++);
            if (key.hasBlock())
            {
                throw StartupConfigException.at(file, key.line(), key.word() + ": unexpected `{'");
            }
            return key;
        }

        /** The next item as a value that may open a block of its own ({@code dev 0000:02:00.1 { ... }}). */
        ConfigItem valueItem(final ConfigItem key, final String what) throws StartupConfigException
        {
            if (pos == items.size())
            {
                throw StartupConfigException.at(file, key.line(), key.word() + ": expected " + what);
            }
            return items.get(pos++);
        }

        String value(final ConfigItem key, final String what) throws StartupConfigException
        {
            if (pos == items.size())
            {
                throw StartupConfigException.at(file, key.line(), key.word() + ": expected " + what);
            }
            final ConfigItem v = items.get(pos++);
            if (v.hasBlock())
            {
                throw StartupConfigException.at(file, v.line(), key.word() + ": unexpected `{'");
            }
            return v.word();
        }

        int number(final ConfigItem key, final int min, final int max) throws StartupConfigException
        {
            final String w = value(key, "a number");
            final int line = items.get(pos - 1).line();
            final long v;
            try
            {
                v = w.startsWith("0x") ? Long.parseLong(w.substring(2), 16) : Long.parseLong(w);
            }
            catch (final NumberFormatException ex)
            {
                throw StartupConfigException.at(file, line, key.word() + ": expected a number, got `" + w + "'");
            }
            if (v < min || v > max)
            {
                throw StartupConfigException.at(file, line, key.word() + ": must be between " + min + " and " + max
                    + ", got " + v);
            }
            return (int)v;
        }

        StartupConfigException unknown(final ConfigItem item)
        {
            return StartupConfigException.at(file, item.line(), "unknown input `" + item.word() + "'");
        }
    }
}
