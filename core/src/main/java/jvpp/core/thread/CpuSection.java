package jvpp.core.thread;

import java.util.ArrayList;
import java.util.List;

import jvpp.core.Configuration;
import jvpp.core.Jvpp;
import jvpp.core.config.ConfigCursor;
import jvpp.core.config.ConfigException;
import jvpp.core.config.ConfigItem;
import jvpp.core.config.ConfigSection;
import jvpp.core.iface.RxMode;

/**
 * startup.conf's {@code cpu { }}, as VPP's: {@code main-core <n>} pins main; {@code corelist-workers 1-3,5}
 * (one worker per listed core) or {@code workers <n>} (on the cores after main's, after {@code skip-cores
 * <n>}, wrapping over the CPUs there are); {@code idle busy-spin|yield|backoff} (a jvpp extension) sets the
 * workers' idle strategy; {@code rx-mode polling|interrupt|adaptive} (a jvpp extension) the rx mode new TAP and
 * AF_PACKET queues start in. Sets {@link Jvpp.Context#mainCore}, {@link Jvpp.Context#workers},
 * {@link Jvpp.Context#workerIdle} and {@link Jvpp.Context#rxMode}.
 *
 * <p>Thread: the one reading the file.
 */
public final class CpuSection implements ConfigSection
{
    private static final String RX_MODES = "polling, interrupt or adaptive";

    @Override
    public String name()
    {
        return "cpu";
    }

    @Override
    public void read(final ConfigCursor in, final Jvpp.Context context) throws ConfigException
    {
        int workers = -1;
        int skip = 0;
        int[] corelist = null;
        for (ConfigItem key = in.nextKey(); key != null; key = in.nextKey())
        {
            switch (key.word())
            {
                case "main-core":
                    context.mainCore(in.number(key, 0, Configuration.CORE_MAX));
                    break;
                case "workers":
                    workers = in.number(key, 0, Configuration.WORKERS_MAX);
                    break;
                case "skip-cores":
                    skip = in.number(key, 0, Configuration.CORE_MAX);
                    break;
                case "corelist-workers":
                    corelist = coreList(in, key, in.value(key, "a core list like 1-3,5"));
                    break;
                case "idle":
                {
                    final String idle = in.value(key, Configuration.idleStrategyChoices());
                    if (!Configuration.IDLE_STRATEGIES.contains(idle))
                    {
                        throw in.error(key, "idle: expected " + Configuration.idleStrategyChoices() + ", got `" + idle + "'");
                    }
                    context.workerIdle(idle);
                    break;
                }
                case "rx-mode":
                {
                    final String mode = in.value(key, RX_MODES);
                    if (RxMode.of(mode) == null)
                    {
                        throw in.error(key, "rx-mode: expected " + RX_MODES + ", got `" + mode + "'");
                    }
                    context.rxMode(RxMode.of(mode));
                    break;
                }
                default:
                    throw in.unknown(key);
            }
        }
        if (corelist != null && workers >= 0)
        {
            throw in.error(in.owner(), "cpu: give corelist-workers or workers, not both");
        }
        if (corelist != null)
        {
            context.workers(corelist);
        }
        else if (workers > 0)
        {
            // VPP: workers on the cores after main's (and after skip-cores), wrapping over what there is.
            final int cpus = Runtime.getRuntime().availableProcessors();
            final int[] cores = new int[workers];
            for (int w = 0; w < workers; w++)
            {
                cores[w] = (Math.max(context.mainCore(), 0) + 1 + skip + w) % cpus;
            }
            context.workers(cores);
        }
    }

    private static int[] coreList(final ConfigCursor in, final ConfigItem key, final String text) throws ConfigException
    {
        final List<Integer> cores = new ArrayList<>();
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
                if (to < from || to > Configuration.CORE_MAX)
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
            throw in.error(key, "corelist-workers: expected a core list like 1-3,5, got `" + text + "'");
        }
        if (cores.size() > Configuration.WORKERS_MAX)
        {
            throw in.error(key, "corelist-workers: at most " + Configuration.WORKERS_MAX + " workers, got " + cores.size());
        }
        return cores.stream().mapToInt(Integer::intValue).toArray();
    }
}
