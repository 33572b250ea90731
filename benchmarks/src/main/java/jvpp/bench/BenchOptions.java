package jvpp.bench;

/** Options every scenario takes. */
final class BenchOptions
{
    long packets = 50_000_000L;
    long warmup = 20_000_000L;
    int cpu = -1;
    boolean runtime;

    static BenchOptions parse(final String[] args)
    {
        final BenchOptions o = new BenchOptions();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--packets":
                    o.packets = Long.parseLong(args[++i]);
                    break;
                case "--warmup":
                    o.warmup = Long.parseLong(args[++i]);
                    break;
                case "--runtime":
                    o.runtime = true;
                    break;
                case "--cpu":
                    o.cpu = Integer.parseInt(args[++i]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option `" + args[i] + "'");
            }
        }
        return o;
    }
}
