package jvpp.nodes.ip4;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jvpp.core.cli.CliException;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceListener;
import jvpp.core.iface.InterfaceTable;
import jvpp.core.net.Ip4;
import jvpp.core.thread.ProcessScheduler;
import jvpp.nodes.ip4.fib.Ip4Fib;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * IPv4's control plane (VPP's ip4_main and the FIB's control side): interface addresses, neighbors,
 * routes from several sources, and their resolution into {@link LoadBalances} and {@link Adjacencies}
 * that the data plane reads through the {@link Ip4Fib}.
 *
 * <p>Routes: a prefix may have routes from several sources; the best one ({@link #SOURCE_INTERFACE} over
 * {@link #SOURCE_CLI} over {@link #SOURCE_ADJ} over {@link #SOURCE_SPECIAL}) is installed. The special entries
 * are VPP's (ip4_fib.c's ip4_specials): 0.0.0.0/32, 224.0.0.0/4 (multicast is not routed here), 240.0.0.0/4 and
 * 255.255.255.255/32 drop (VPP's last one is receive, where ip4-local then drops it for want of a listener:
 * jvpp drops it at once, under its own reason). 0.0.0.0/0 stays "unreachable" without a default route, unlike
 * VPP's drop: an unrouted destination gets net unreachable, as Linux answers. Each connected prefix up to /30
 * also installs its network and broadcast addresses as drop /32s (VPP's ip4_add_interface_prefix_routes), so
 * nothing ARPs for them and directed broadcasts are dropped (RFC 2644's default). A route's paths form a {@link PathSet}; path
 * sets are interned, so a million routes via one next hop share one load-balance. Recursive paths
 * ({@code via <nh>}) are re-resolved whenever the FIB changes; a route that would resolve through itself
 * resolves to drop.
 *
 * <p>Neighbors: every neighbor on a connected subnet gets a /32 "adj-fib" entry, so lookups for hosts
 * that were resolved go straight to their rewrite. The data plane reports what ARP learned through
 * {@link #learnRing()}; main applies it in {@link #drainLearned()} and tells {@link NeighborListener}s
 * (ip4-arp, to release held packets).
 *
 * <p>Every method that changes state checks first and changes nothing when it fails.
 *
 * <p>Thread: main.
 */
public final class Ip4Main implements InterfaceListener
{
    public static final int SOURCE_INTERFACE = 0;
    public static final int SOURCE_CLI = 1;
    public static final int SOURCE_ADJ = 2;
    public static final int SOURCE_SPECIAL = 3;
    private static final String[] SOURCE_NAMES = {"interface", "cli", "adj", "special"};
    /** VPP's special prefixes (address, length), installed as drop at start. */
    private static final int[] SPECIALS = {0, 32, 0xe000_0000, 4, 0xf000_0000, 4, -1, 32};
    /** The longest connected prefix that has a network and a broadcast address (a /31 has neither, RFC 3021). */
    static final int MAX_BROADCAST_LENGTH = 30;
    private static final int LEARN_MSG = 1;
    /** A learn message that may only refresh a neighbor already known (gratuitous ARP), never create one. */
    private static final int REFRESH_MSG = 2;

    /** An address on an interface. */
    public record IfAddress(int address, int length)
    {
        public boolean covers(final int a)
        {
            return length == 0 || ((a ^ address) & mask(length)) == 0;
        }

        @Override
        public String toString()
        {
            return Ip4.format(address) + "/" + length;
        }
    }

    /** Told when a neighbor becomes known, so held packets can go. */
    public interface NeighborListener
    {
        void resolved(int swIfIndex, int address);
    }

    /** A neighbor: what ARP learned or {@code set ip neighbor} said. */
    public static final class Neighbor
    {
        final int swIfIndex;
        final int address;
        long mac;
        boolean isStatic;
        long updatedNanos;

        Neighbor(final int swIfIndex, final int address)
        {
            this.swIfIndex = swIfIndex;
            this.address = address;
        }

        public int swIfIndex()
        {
            return swIfIndex;
        }

        public int address()
        {
            return address;
        }

        public long mac()
        {
            return mac;
        }

        public boolean isStatic()
        {
            return isStatic;
        }

        public long updatedNanos()
        {
            return updatedNanos;
        }
    }

    /** An interned list of paths and the load-balance they resolve to. */
    public static final class PathSet
    {
        final List<Path> paths;
        final boolean recursive;
        int lb;
        int refs;
        int[] held = new int[0];

        PathSet(final List<Path> paths)
        {
            this.paths = paths;
            boolean r = false;
            for (final Path p : paths)
            {
                r |= p.kind() == Path.Kind.RECURSIVE;
            }
            this.recursive = r;
        }

        public List<Path> paths()
        {
            return paths;
        }

        public int lb()
        {
            return lb;
        }
    }

    private final InterfaceTable interfaces;
    private final Adjacencies adjs = new Adjacencies();
    private final LoadBalances lbs = new LoadBalances();
    private final Ip4Fib fib = new Ip4Fib(LoadBalances.LB_UNREACHABLE);
    private final Map<Integer, List<IfAddress>> addresses = new TreeMap<>();
    private volatile int[][] addressesBySwIf = new int[0][];
    /** Per interface: the sources ip4-input refuses on it ({@link #martianSourceTable}); published with the above. */
    private volatile int[][] martianSourcesBySwIf = new int[0][];
    private final Map<List<Path>, PathSet> pathSets = new HashMap<>();
    private final List<PathSet> recursiveSets = new ArrayList<>();
    @SuppressWarnings("unchecked")
    private final Long2ObjectHashMap<PathSet>[] sources = new Long2ObjectHashMap[] {
        new Long2ObjectHashMap<PathSet>(), new Long2ObjectHashMap<PathSet>(), new Long2ObjectHashMap<PathSet>(),
        new Long2ObjectHashMap<PathSet>()};
    private final Long2LongHashMap neighborAdjs = new Long2LongHashMap(-1);
    private final Map<Integer, Integer> gleanAdjs = new HashMap<>();
    private final Map<Long, Integer> localAdjs = new HashMap<>();
    private final Map<Long, Neighbor> neighbors = new TreeMap<>();
    /** The keys of {@link #neighbors}, for the data plane: changed by main at the barrier only. */
    private final LongHashSet knownNeighbors = new LongHashSet();
    private final List<NeighborListener> neighborListeners = new ArrayList<>();
    private volatile EchoListener echoListener;
    private volatile ProcessScheduler.Handle learnedProcess;
    private final ManyToOneRingBuffer learnRing = new ManyToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect((1 << 16) + RingBufferDescriptor.TRAILER_LENGTH)));
    private final UnsafeBuffer learnScratch = new UnsafeBuffer(ByteBuffer.allocateDirect(16));

    public Ip4Main(final InterfaceTable interfaces)
    {
        this.interfaces = interfaces;
        for (int i = 0; i < SPECIALS.length; i += 2)
        {
            addRoute(SOURCE_SPECIAL, SPECIALS[i], SPECIALS[i + 1], List.of(Path.drop()));
        }
    }

    /** A prefix's broadcast address. */
    static int broadcast(final int address, final int length)
    {
        return address | ~mask(length);
    }

    /**
     * 1 when {@code dst} is the broadcast address of a connected prefix, 2 when its network address, else 0: why
     * ip4-lookup dropped it (called on the drop path only: it walks every interface's addresses).
     */
    public int subnetRole(final int dst)
    {
        for (final int[] pairs : addressesBySwIf)
        {
            for (int p = 0; pairs != null && p < pairs.length; p += 2)
            {
                final int length = pairs[p + 1];
                if (length <= MAX_BROADCAST_LENGTH && ((pairs[p] ^ dst) & mask(length)) == 0)
                {
                    if (dst == broadcast(pairs[p], length))
                    {
                        return 1;
                    }
                    if (dst == (pairs[p] & mask(length)))
                    {
                        return 2;
                    }
                }
            }
        }
        return 0;
    }

    public static int mask(final int length)
    {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    private static long key(final int prefix, final int length)
    {
        return ((prefix & 0xffff_ffffL) << 8) | length;
    }

    private static long nbrKey(final int swIf, final int address)
    {
        return ((long)swIf << 32) | (address & 0xffff_ffffL);
    }

    public Adjacencies adjacencies()
    {
        return adjs;
    }

    public LoadBalances loadBalances()
    {
        return lbs;
    }

    public Ip4Fib fib()
    {
        return fib;
    }

    // ---------------------------------------------------------------- addresses

    /** The addresses of {@code swIf} as {@code [addr0, len0, addr1, len1, ...]}; data plane view. */
    public int[] addressPairs(final int swIf)
    {
        final int[][] a = addressesBySwIf;
        return swIf >= 0 && swIf < a.length && a[swIf] != null ? a[swIf] : new int[0];
    }

    /**
     * Data plane: of an interface's {@code [addr, len, ...]} pairs, the address on {@code dst}'s subnet, else
     * the first, or 0 when there is none (the source for ARP requests and ICMP errors).
     */
    public static int sourceFor(final int[] pairs, final int dst)
    {
        if (pairs == null || pairs.length == 0)
        {
            return 0;
        }
        for (int i = 0; i < pairs.length; i += 2)
        {
            if (((pairs[i] ^ dst) & mask(pairs[i + 1])) == 0)
            {
                return pairs[i];
            }
        }
        return pairs[0];
    }

    /** Data plane: whether {@code ip} is on one of the subnets in {@code pairs}. */
    public static boolean onSubnet(final int[] pairs, final int ip)
    {
        if (pairs != null)
        {
            for (int i = 0; i < pairs.length; i += 2)
            {
                if (((pairs[i] ^ ip) & mask(pairs[i + 1])) == 0)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** Data plane: whether {@code ip} is one of the addresses in {@code pairs}. */
    public static boolean isOurs(final int[] pairs, final int ip)
    {
        if (pairs != null)
        {
            for (int i = 0; i < pairs.length; i += 2)
            {
                if (pairs[i] == ip)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** The published table behind {@link #addressPairs}: read it once per frame. */
    public int[][] addressTable()
    {
        return addressesBySwIf;
    }

    public List<IfAddress> addresses(final int swIf)
    {
        return addresses.getOrDefault(swIf, List.of());
    }

    /** Add {@code address/length} to {@code ifc}, with its connected and local routes. */
    public void addAddress(final Interface ifc, final int address, final int length) throws CliException
    {
        final IfAddress a = new IfAddress(address, length);
        final List<IfAddress> mine = addresses.getOrDefault(ifc.swIfIndex(), List.of());
        if (mine.contains(a))
        {
            // VPP's text (ip4_add_del_interface_address_internal): the same address again is a conflict too.
            throw new CliException("failed to add " + a + " on " + ifc.name() + " which conflicts with " + a
                + " for interface " + ifc.name());
        }
        for (final Map.Entry<Integer, List<IfAddress>> e : addresses.entrySet())
        {
            if (e.getKey() == ifc.swIfIndex())
            {
                continue;
            }
            for (final IfAddress other : e.getValue())
            {
                final int m = mask(Math.min(length, other.length()));
                if (((address ^ other.address()) & m) == 0)
                {
                    throw new CliException("failed to add " + a + " on " + ifc.name() + " which conflicts with "
                        + other + " for interface " + interfaces.name(e.getKey()));
                }
            }
        }
        final List<IfAddress> updated = new ArrayList<>(mine);
        updated.add(a);
        addresses.put(ifc.swIfIndex(), updated);
        publishAddresses();
        final int sw = ifc.swIfIndex();
        if (length < 32)
        {
            addRoute(SOURCE_INTERFACE, address & mask(length), length, List.of(new Path(Path.Kind.ATTACHED, sw, 0)));
        }
        addRoute(SOURCE_INTERFACE, address, 32, List.of(new Path(Path.Kind.RECEIVE, sw, address)));
        for (final int special : subnetSpecials(address, length))
        {
            addRoute(SOURCE_INTERFACE, special, 32, List.of(Path.drop()));
        }
        // Neighbors already known in the new subnet get their /32s.
        for (final Neighbor n : List.copyOf(neighbors.values()))
        {
            if (n.swIfIndex == sw && a.covers(n.address))
            {
                installAdjFib(n);
            }
        }
    }

    /** Remove {@code address/length} from {@code ifc}. */
    public void deleteAddress(final Interface ifc, final int address, final int length) throws CliException
    {
        final IfAddress a = new IfAddress(address, length);
        final List<IfAddress> mine = addresses.getOrDefault(ifc.swIfIndex(), List.of());
        if (!mine.contains(a))
        {
            throw new CliException(a + " not found for interface " + ifc.name());
        }
        final List<IfAddress> updated = new ArrayList<>(mine);
        updated.remove(a);
        if (updated.isEmpty())
        {
            addresses.remove(ifc.swIfIndex());
        }
        else
        {
            addresses.put(ifc.swIfIndex(), updated);
        }
        publishAddresses();
        final int sw = ifc.swIfIndex();
        removeRoute(SOURCE_INTERFACE, address, 32);
        // Another address of the same prefix on this interface keeps them (VPP counts the prefix's references).
        final boolean prefixLeft = updated.stream().anyMatch(o -> o.length() == length
            && ((o.address() ^ address) & mask(length)) == 0);
        for (final int special : prefixLeft ? new int[0] : subnetSpecials(address, length))
        {
            removeRoute(SOURCE_INTERFACE, special, 32);
        }
        if (length < 32)
        {
            removeRoute(SOURCE_INTERFACE, address & mask(length), length);
        }
        for (final Neighbor n : neighbors.values())
        {
            if (n.swIfIndex == sw && a.covers(n.address) && !onConnectedSubnet(sw, n.address))
            {
                removeRoute(SOURCE_ADJ, n.address, 32);
            }
        }
    }

    /** The network and broadcast addresses of {@code address/length} that get drop /32s (not the address itself). */
    private static int[] subnetSpecials(final int address, final int length)
    {
        if (length > MAX_BROADCAST_LENGTH)
        {
            return new int[0];
        }
        final int network = address & mask(length);
        final int bcast = broadcast(address, length);
        return java.util.Arrays.stream(new int[] {network, bcast}).filter(a -> a != address).toArray();
    }

    public void deleteAllAddresses(final Interface ifc) throws CliException
    {
        for (final IfAddress a : List.copyOf(addresses(ifc.swIfIndex())))
        {
            deleteAddress(ifc, a.address(), a.length());
        }
    }

    /** Whether {@code address} is on a subnet of {@code swIf}. */
    public boolean onConnectedSubnet(final int swIf, final int address)
    {
        for (final IfAddress a : addresses(swIf))
        {
            if (a.covers(address))
            {
                return true;
            }
        }
        return false;
    }

    /** The address of {@code swIf} to speak from to {@code dst}: one on dst's subnet, else the first; 0 if none. */
    public int sourceAddress(final int swIf, final int dst)
    {
        final List<IfAddress> mine = addresses(swIf);
        for (final IfAddress a : mine)
        {
            if (a.covers(dst))
            {
                return a.address();
            }
        }
        return mine.isEmpty() ? 0 : mine.get(0).address();
    }

    private void publishAddresses()
    {
        final int[][] t = new int[interfaces.capacity()][];
        for (final Map.Entry<Integer, List<IfAddress>> e : addresses.entrySet())
        {
            final List<IfAddress> l = e.getValue();
            final int[] pairs = new int[l.size() * 2];
            for (int i = 0; i < l.size(); i++)
            {
                pairs[2 * i] = l.get(i).address();
                pairs[2 * i + 1] = l.get(i).length();
            }
            t[e.getKey()] = pairs;
        }
        final int[][] m = new int[t.length][];
        for (int swIf = 0; swIf < t.length; swIf++)
        {
            m[swIf] = t[swIf] == null ? null : martianSources(t[swIf]);
        }
        martianSourcesBySwIf = m;
        addressesBySwIf = t;
    }

    /**
     * {@code [k, own address 1..k, subnet broadcast addresses...]} for an interface's (address, length) pairs: one
     * compare per entry on the data plane, with the kind told by the index. A /31 or /32 has no broadcast address.
     */
    private static int[] martianSources(final int[] pairs)
    {
        final int own = pairs.length / 2;
        int broadcasts = 0;
        for (int p = 1; p < pairs.length; p += 2)
        {
            broadcasts += pairs[p] <= 30 ? 1 : 0;
        }
        final int[] m = new int[1 + own + broadcasts];
        m[0] = own;
        int b = 1 + own;
        for (int p = 0; p < pairs.length; p += 2)
        {
            m[1 + p / 2] = pairs[p];
            if (pairs[p + 1] <= 30)
            {
                m[b++] = pairs[p] | ~mask(pairs[p + 1]);
            }
        }
        return m;
    }

    /**
     * Data plane: per sw_if_index, the interface's own addresses and its subnets' broadcast addresses as
     * {@code [k, own 1..k, broadcasts...]} (null: no address). Immutable, replaced whole with the address table;
     * read it once per frame.
     */
    public int[][] martianSourceTable()
    {
        return martianSourcesBySwIf;
    }

    // ---------------------------------------------------------------- routes

    /** Add {@code paths} to the {@code source} route for the prefix (ECMP when it already has paths). */
    public void addRoute(final int source, final int prefix, final int length, final List<Path> paths)
    {
        final long k = key(prefix & mask(length), length);
        final PathSet old = sources[source].get(k);
        final List<Path> merged = new ArrayList<>(old == null ? List.of() : old.paths);
        for (final Path p : paths)
        {
            if (!merged.contains(p))
            {
                merged.add(p);
            }
        }
        if (old != null && merged.size() == old.paths.size())
        {
            return;
        }
        final PathSet ps = intern(merged);
        sources[source].put(k, ps);
        if (old != null)
        {
            release(old);
        }
        refresh(prefix & mask(length), length);
    }

    /** Remove {@code paths} (all when empty) from the {@code source} route; false when there was none such. */
    public boolean removeRoute(final int source, final int prefix, final int length, final List<Path> paths)
    {
        final long k = key(prefix & mask(length), length);
        final PathSet old = sources[source].get(k);
        if (old == null)
        {
            return false;
        }
        final List<Path> left = new ArrayList<>(old.paths);
        if (paths.isEmpty())
        {
            left.clear();
        }
        else
        {
            for (final Path p : paths)
            {
                if (!left.remove(p))
                {
                    return false;
                }
            }
        }
        if (left.isEmpty())
        {
            sources[source].remove(k);
        }
        else
        {
            sources[source].put(k, intern(left));
        }
        release(old);
        refresh(prefix & mask(length), length);
        return true;
    }

    public boolean removeRoute(final int source, final int prefix, final int length)
    {
        return removeRoute(source, prefix, length, List.of());
    }

    /** The route of {@code source} for exactly this prefix, or null. */
    public PathSet route(final int source, final int prefix, final int length)
    {
        return sources[source].get(key(prefix & mask(length), length));
    }

    /** The installed route's source for this prefix, or -1. */
    public int bestSource(final int prefix, final int length)
    {
        final long k = key(prefix & mask(length), length);
        for (int s = 0; s < sources.length; s++)
        {
            if (sources[s].containsKey(k))
            {
                return s;
            }
        }
        return -1;
    }

    public static String sourceName(final int source)
    {
        return SOURCE_NAMES[source];
    }

    private void refresh(final int prefix, final int length)
    {
        final PathSet best = bestRoute(prefix, length);
        if (best == null)
        {
            if (length == 0)
            {
                fib.set(0, 0, LoadBalances.LB_UNREACHABLE);
            }
            else
            {
                fib.remove(prefix, length);
                // Main runs every lookup today, so freed plies can be reused at once; with workers this
                // moves behind the barrier (Ip4Mtrie.reclaim's rule).
                fib.reclaim();
            }
        }
        else
        {
            fib.set(prefix, length, best.lb);
        }
        if (!recursiveSets.isEmpty())
        {
            reresolveRecursive();
        }
    }

    private PathSet bestRoute(final int prefix, final int length)
    {
        final long k = key(prefix, length);
        for (final Long2ObjectHashMap<PathSet> s : sources)
        {
            final PathSet ps = s.get(k);
            if (ps != null)
            {
                return ps;
            }
        }
        return null;
    }

    private PathSet intern(final List<Path> paths)
    {
        final List<Path> canonical = new ArrayList<>(paths);
        canonical.sort(Comparator.comparing((Path p) -> p.kind()).thenComparingInt(Path::swIfIndex)
            .thenComparingInt(Path::nextHop));
        final List<Path> k = List.copyOf(canonical);
        PathSet ps = pathSets.get(k);
        if (ps == null)
        {
            ps = new PathSet(k);
            ps.lb = -1;
            ps.held = resolve(ps);
            ps.lb = lbs.add(ps.held);
            pathSets.put(k, ps);
            if (ps.recursive)
            {
                recursiveSets.add(ps);
            }
        }
        ps.refs++;
        return ps;
    }

    private void release(final PathSet ps)
    {
        if (--ps.refs > 0)
        {
            return;
        }
        pathSets.remove(ps.paths);
        recursiveSets.remove(ps);
        for (final int a : ps.held)
        {
            unlockAdj(a);
        }
        lbs.unlock(ps.lb);
    }

    /** The adjacencies the paths resolve to, each locked once for the caller. */
    private int[] resolve(final PathSet ps)
    {
        int[] out = new int[0];
        for (final Path p : ps.paths)
        {
            final int[] add;
            switch (p.kind())
            {
                case ATTACHED_NEXTHOP:
                    add = new int[] {neighborAdj(p.swIfIndex(), p.nextHop())};
                    break;
                case ATTACHED:
                    add = new int[] {gleanAdj(p.swIfIndex())};
                    break;
                case RECEIVE:
                    add = new int[] {localAdj(p.swIfIndex(), p.nextHop())};
                    break;
                case RECURSIVE:
                    add = resolveVia(p.nextHop(), ps);
                    break;
                default:
                    adjs.lock(Adjacencies.ADJ_DROP);
                    add = new int[] {Adjacencies.ADJ_DROP};
                    break;
            }
            final int n = out.length;
            out = Arrays.copyOf(out, n + add.length);
            System.arraycopy(add, 0, out, n, add.length);
        }
        return out;
    }

    /** Resolve a recursive next hop through the entry that covers it. */
    private int[] resolveVia(final int nh, final PathSet self)
    {
        final int lb = fib.lookup(nh);
        if (lb == self.lb)
        {
            adjs.lock(Adjacencies.ADJ_DROP);
            return new int[] {Adjacencies.ADJ_DROP};
        }
        final int[] b = lbs.buckets[lb];
        final int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++)
        {
            final int a = b[i];
            switch (adjs.type[a])
            {
                case Adjacencies.GLEAN:
                    out[i] = neighborAdj(adjs.swIfIndex[a], nh);
                    break;
                case Adjacencies.LOCAL:
                    adjs.lock(Adjacencies.ADJ_DROP);
                    out[i] = Adjacencies.ADJ_DROP;
                    break;
                default:
                    adjs.lock(a);
                    out[i] = a;
                    break;
            }
        }
        return out;
    }

    private void reresolveRecursive()
    {
        for (int round = 0; round < 8; round++)
        {
            boolean changed = false;
            for (final PathSet ps : List.copyOf(recursiveSets))
            {
                final int[] now = resolve(ps);
                if (Arrays.equals(now, ps.held))
                {
                    for (final int a : now)
                    {
                        unlockAdj(a);
                    }
                    continue;
                }
                final int[] old = ps.held;
                ps.held = now;
                lbs.set(ps.lb, now);
                for (final int a : old)
                {
                    unlockAdj(a);
                }
                changed = true;
            }
            if (!changed)
            {
                return;
            }
        }
    }

    private int interfaceMtu(final int swIf)
    {
        final Interface ifc = interfaces.get(swIf);
        if (ifc == null)
        {
            return 0;
        }
        final int[] m = ifc.mtu();
        return m[1] != 0 ? m[1] : m[0];
    }

    private int neighborAdj(final int swIf, final int nh)
    {
        final long k = nbrKey(swIf, nh);
        final long existing = neighborAdjs.get(k);
        if (existing >= 0)
        {
            adjs.lock((int)existing);
            return (int)existing;
        }
        final int a = adjs.add(Adjacencies.INCOMPLETE, swIf, nh, interfaceMtu(swIf));
        final Neighbor n = neighbors.get(k);
        if (n != null)
        {
            adjs.complete(a, n.mac, interfaces.get(swIf).mac());
        }
        neighborAdjs.put(k, a);
        return a;
    }

    private int gleanAdj(final int swIf)
    {
        final Integer existing = gleanAdjs.get(swIf);
        if (existing != null)
        {
            adjs.lock(existing);
            return existing;
        }
        final int a = adjs.add(Adjacencies.GLEAN, swIf, 0, interfaceMtu(swIf));
        gleanAdjs.put(swIf, a);
        return a;
    }

    private int localAdj(final int swIf, final int address)
    {
        final long k = nbrKey(swIf, address);
        final Integer existing = localAdjs.get(k);
        if (existing != null)
        {
            adjs.lock(existing);
            return existing;
        }
        final int a = adjs.add(Adjacencies.LOCAL, swIf, address, 0);
        localAdjs.put(k, a);
        return a;
    }

    private void unlockAdj(final int a)
    {
        final int type = adjs.type[a];
        final int swIf = adjs.swIfIndex[a];
        final int nh = adjs.nextHop[a];
        if (adjs.unlock(a))
        {
            if (type == Adjacencies.GLEAN)
            {
                gleanAdjs.remove(swIf);
            }
            else if (type == Adjacencies.LOCAL)
            {
                localAdjs.remove(nbrKey(swIf, nh));
            }
            else
            {
                neighborAdjs.remove(nbrKey(swIf, nh));
            }
        }
    }

    /** The interface's MTU changed: adjacencies on it follow. */
    public void mtuChanged(final int swIf)
    {
        final int mtu = interfaceMtu(swIf);
        for (int a = 0; a < adjs.size(); a++)
        {
            if (adjs.swIfIndex[a] == swIf && adjs.type[a] != Adjacencies.LOCAL && a > Adjacencies.ADJ_UNREACHABLE)
            {
                adjs.mtu[a] = mtu;
            }
        }
    }

    // ---------------------------------------------------------------- neighbors

    /** Who gets ICMP echo replies addressed to us (ping), or null. */
    public EchoListener echoListener()
    {
        return echoListener;
    }

    public void echoListener(final EchoListener listener)
    {
        echoListener = listener;
    }

    public void addNeighborListener(final NeighborListener l)
    {
        neighborListeners.add(l);
    }

    /** Where the data plane reports learned neighbors: {@code (swIf, address, mac)} messages. */
    public ManyToOneRingBuffer learnRing()
    {
        return learnRing;
    }

    /** Report a neighbor seen by the data plane; false when the ring is full (the next ARP packet will tell again). */
    public static boolean reportLearned(final ManyToOneRingBuffer ring, final UnsafeBuffer scratch, final int swIf,
        final int address, final long mac)
    {
        return reportLearned(ring, scratch, swIf, address, mac, false);
    }

    /**
     * Report a neighbor seen by the data plane; with {@code refreshOnly} main applies it only to a neighbor it
     * still knows (a gratuitous ARP may move a known neighbor, never add one). False when the ring is full.
     */
    public static boolean reportLearned(final ManyToOneRingBuffer ring, final UnsafeBuffer scratch, final int swIf,
        final int address, final long mac, final boolean refreshOnly)
    {
        scratch.putInt(0, swIf);
        scratch.putInt(4, address);
        scratch.putLong(8, mac);
        return ring.write(refreshOnly ? REFRESH_MSG : LEARN_MSG, scratch, 0, 16);
    }

    /**
     * Whether {@code address} is a neighbor (learned or static) on {@code swIf}. Allocation-free; the set changes
     * only on main with the workers stopped (drain, CLI), so any graph thread may read it.
     */
    public boolean isNeighbor(final int swIf, final int address)
    {
        return knownNeighbors.contains(nbrKey(swIf, address));
    }

    /** The process that drains {@link #learnRing()}; {@link #signalLearned()} runs it. Thread: main, at boot. */
    void learnedProcess(final ProcessScheduler.Handle handle)
    {
        learnedProcess = handle;
    }

    /** After posting on {@link #learnRing()}: have main drain it on its next loop. Thread: any. */
    public void signalLearned()
    {
        final ProcessScheduler.Handle h = learnedProcess;
        if (h != null)
        {
            h.signal();
        }
    }

    /** Apply what the data plane learned. Returns how many neighbors were processed. */
    public int drainLearned()
    {
        return learnRing.read((type, buffer, index, length) ->
        {
            final int swIf = buffer.getInt(index);
            final int address = buffer.getInt(index + 4);
            if (type != REFRESH_MSG || isNeighbor(swIf, address))
            {
                learn(swIf, address, buffer.getLong(index + 8), false);
            }
        });
    }

    /** Learn or update a neighbor. A dynamic update never overrides a static entry. */
    public void learn(final int swIf, final int address, final long mac, final boolean isStatic)
    {
        final Interface ifc = interfaces.get(swIf);
        if (ifc == null)
        {
            return;
        }
        final long k = nbrKey(swIf, address);
        Neighbor n = neighbors.get(k);
        if (n != null && n.isStatic && !isStatic)
        {
            return;
        }
        final boolean changed = n == null || n.mac != mac;
        if (n == null)
        {
            n = new Neighbor(swIf, address);
            neighbors.put(k, n);
            knownNeighbors.add(k);
        }
        n.mac = mac;
        n.isStatic = isStatic;
        n.updatedNanos = System.nanoTime();
        if (changed)
        {
            final long adj = neighborAdjs.get(k);
            if (adj >= 0)
            {
                adjs.complete((int)adj, mac, ifc.mac());
            }
        }
        installAdjFib(n);
        for (final NeighborListener l : neighborListeners)
        {
            l.resolved(swIf, address);
        }
    }

    private void installAdjFib(final Neighbor n)
    {
        if (onConnectedSubnet(n.swIfIndex, n.address) && route(SOURCE_ADJ, n.address, 32) == null)
        {
            addRoute(SOURCE_ADJ, n.address, 32, List.of(new Path(Path.Kind.ATTACHED_NEXTHOP, n.swIfIndex, n.address)));
        }
    }

    /** Forget a neighbor; false when there was none. */
    public boolean deleteNeighbor(final int swIf, final int address)
    {
        final long k = nbrKey(swIf, address);
        if (neighbors.remove(k) == null)
        {
            return false;
        }
        knownNeighbors.remove(k);
        final long adj = neighborAdjs.get(k);
        if (adj >= 0)
        {
            adjs.incomplete((int)adj);
        }
        removeRoute(SOURCE_ADJ, address, 32);
        return true;
    }

    public Neighbor neighbor(final int swIf, final int address)
    {
        return neighbors.get(nbrKey(swIf, address));
    }

    public List<Neighbor> neighbors()
    {
        return List.copyOf(neighbors.values());
    }

    // ---------------------------------------------------------------- interface events

    @Override
    public void interfaceDeleted(final Interface ifc)
    {
        try
        {
            deleteAllAddresses(ifc);
        }
        catch (final CliException ex)
        {
            throw new IllegalStateException(ex);
        }
        for (final Neighbor n : List.copyOf(neighbors.values()))
        {
            if (n.swIfIndex == ifc.swIfIndex())
            {
                deleteNeighbor(n.swIfIndex, n.address);
            }
        }
        for (int s = 0; s < sources.length; s++)
        {
            final List<Long> dead = new ArrayList<>();
            final Long2ObjectHashMap<PathSet>.KeyIterator it = sources[s].keySet().iterator();
            while (it.hasNext())
            {
                final long k = it.nextLong();
                for (final Path p : sources[s].get(k).paths)
                {
                    if (p.swIfIndex() == ifc.swIfIndex())
                    {
                        dead.add(k);
                        break;
                    }
                }
            }
            for (final long k : dead)
            {
                removeRoute(s, (int)(k >>> 8), (int)(k & 0xff));
            }
        }
    }
}
