package jvpp.nodes.l2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import jvpp.core.cli.CliException;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceListener;

/**
 * Bridge domains (VPP's bd_main and l2input_main): each has a user-facing id, a dense index the data plane
 * uses, the flags learn / forward / flood / uu-flood, a MAC age in minutes (0: never) and its member
 * interfaces with their split-horizon group ({@code set interface l2 bridge <if> <bd> [bvi] [<shg>]}; 0: none). The MAC
 * tables of all domains share one
 * bounded {@link L2Fib}.
 *
 * <p>What the data plane reads ({@link #bdIndexBySwIf}, {@link #flags}, {@link #members}, {@link #shgBySwIf})
 * are plain arrays replaced copy-on-write through volatile fields: nodes read each once per frame and
 * allocate nothing.
 *
 * <p>Thread: changes on main, with the workers at the barrier (the CLI runs there); data-plane reads on any
 * thread.
 */
public final class BridgeDomains implements InterfaceListener
{
    public static final int FLAG_LEARN = 1;
    public static final int FLAG_FORWARD = 2;
    public static final int FLAG_FLOOD = 4;
    public static final int FLAG_UU_FLOOD = 8;
    /** VPP's defaults for a new domain: learn, forward, flood and uu-flood on, no ARP termination, no aging. */
    public static final int DEFAULT_FLAGS = FLAG_LEARN | FLAG_FORWARD | FLAG_FLOOD | FLAG_UU_FLOOD;
    /** Bridge-domain ids are 1..MAX_ID (VPP: L2_BD_ID_MAX); id 0 is reserved. */
    public static final int MAX_ID = (1 << 24) - 1;
    /** At most this many domains at once (the index takes 15 bits of the MAC table key). */
    public static final int MAX_DOMAINS = 4096;
    public static final int DEFAULT_FIB_LIMIT = 1 << 16;
    private static final int NOT_L2 = -1;
    /**
     * {@link #bdIndexBySwIf} values from here up are cross-connects: {@code XCONNECT_BASE + peer sw_if_index}
     * (VPP's l2 xconnect, one direction per command). Below it: a bridge domain index.
     */
    public static final int XCONNECT_BASE = MAX_DOMAINS;
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final L2Fib fib;
    /** id → index, on main only. */
    private final TreeMap<Integer, Integer> indexById = new TreeMap<>();
    private final int[] idByIndex = new int[MAX_DOMAINS];
    private final int[] macAgeByIndex = new int[MAX_DOMAINS];

    private volatile int[] flags = new int[MAX_DOMAINS];
    private volatile int[][] members = new int[MAX_DOMAINS][];
    private volatile int[] bdIndexBySwIf = new int[0];
    private volatile int[] shgBySwIf = new int[0];
    private volatile boolean anyShg;
    /** Per {@code sw_if_index}: whether it is its domain's BVI (l2-output hands such frames to L3). */
    private volatile boolean[] bviBySwIf = new boolean[0];
    /** Per bridge-domain index: its BVI's {@code sw_if_index} or -1; main only. */
    private final int[] bviByIndex = new int[MAX_DOMAINS];

    public BridgeDomains(final int fibLimit)
    {
        fib = new L2Fib(fibLimit);
        Arrays.fill(idByIndex, -1);
        Arrays.fill(bviByIndex, -1);
        final int[][] m = members;
        for (int i = 0; i < m.length; i++)
        {
            m[i] = new int[0];
        }
    }

    public BridgeDomains()
    {
        this(DEFAULT_FIB_LIMIT);
    }

    // ---- data plane reads ----

    public L2Fib fib()
    {
        return fib;
    }

    /** Per {@code sw_if_index}: the bridge-domain index it is a member of, or -1 for an L3 interface. */
    public int[] bdIndexBySwIf()
    {
        return bdIndexBySwIf;
    }

    /** Per {@code sw_if_index}: split-horizon group. */
    public int[] shgBySwIf()
    {
        return shgBySwIf;
    }

    /** Per {@code sw_if_index}: whether it is a bridge domain's BVI. */
    public boolean[] bviBySwIf()
    {
        return bviBySwIf;
    }

    /** The BVI {@code sw_if_index} of domain {@code index}, or -1. */
    public int bvi(final int index)
    {
        return bviByIndex[index];
    }

    /** Per bridge-domain index: {@code FLAG_*}. */
    public int[] flags()
    {
        return flags;
    }

    /** Per bridge-domain index: the member {@code sw_if_index}es. */
    public int[][] members()
    {
        return members;
    }

    /** Whether {@code swIfIndex} is in L2 bridge mode; any thread. */
    public boolean isL2(final int swIfIndex)
    {
        final int[] m = bdIndexBySwIf;
        return swIfIndex >= 0 && swIfIndex < m.length && m[swIfIndex] != NOT_L2;
    }

    // ---- control plane (main, at the barrier) ----

    /** The index of domain {@code id}, or -1. */
    public int indexOf(final int id)
    {
        final Integer i = indexById.get(id);
        return i == null ? -1 : i;
    }

    public int idOf(final int bdIndex)
    {
        return idByIndex[bdIndex];
    }

    public int macAge(final int bdIndex)
    {
        return macAgeByIndex[bdIndex];
    }

    /** Whether any domain ages its MACs. */
    public boolean anyAging()
    {
        for (final int index : indexById.values())
        {
            if (macAgeByIndex[index] > 0)
            {
                return true;
            }
        }
        return false;
    }

    /** The ids of all domains, ascending. */
    public List<Integer> ids()
    {
        return new ArrayList<>(indexById.keySet());
    }

    /** Check a bridge-domain id as the CLI takes it. */
    public static void checkId(final long id) throws CliException
    {
        if (id == 0)
        {
            throw new CliException("bridge domain 0 is reserved (the default domain) and cannot be configured");
        }
        if (id < 0 || id > MAX_ID)
        {
            throw new CliException("bridge domain id must be between 1 and " + MAX_ID + ", got " + id);
        }
    }

    /** Create domain {@code id}; fails when it exists or no index is free. Returns its index. */
    public int create(final int id, final int newFlags, final int macAgeMinutes) throws CliException
    {
        checkId(id);
        if (indexById.containsKey(id))
        {
            throw new CliException("bridge domain with id " + id + " already exists");
        }
        int index = -1;
        for (int i = 0; i < MAX_DOMAINS; i++)
        {
            if (idByIndex[i] < 0)
            {
                index = i;
                break;
            }
        }
        if (index < 0)
        {
            throw new CliException("no room for another bridge domain (" + MAX_DOMAINS + " at most)");
        }
        idByIndex[index] = id;
        macAgeByIndex[index] = macAgeMinutes;
        final int[] f = flags.clone();
        f[index] = newFlags;
        flags = f;
        indexById.put(id, index);
        return index;
    }

    /** Delete domain {@code id}: it must exist and have no members; its MAC entries go with it. */
    public void delete(final int id) throws CliException
    {
        checkId(id);
        final int index = indexOf(id);
        if (index < 0)
        {
            throw new CliException("bridge domain id " + id + " does not exist");
        }
        if (members[index].length > 0)
        {
            throw new CliException("bridge domain id " + id + " is in use (" + members[index].length + " interfaces)");
        }
        fib.removeIf((key, sw, seen, st) -> L2Fib.bdIndexOf(key) == index);
        indexById.remove(id);
        idByIndex[index] = -1;
        final int[] f = flags.clone();
        f[index] = 0;
        flags = f;
    }

    /** Put {@code ifc} into domain {@code id} (created with the defaults when missing), leaving any other. */
    public void bridge(final Interface ifc, final int id) throws CliException
    {
        bridge(ifc, id, false, 0);
    }

    public void bridge(final Interface ifc, final int id, final boolean bvi) throws CliException
    {
        bridge(ifc, id, bvi, 0);
    }

    /**
     * Put {@code ifc} into domain {@code id} (created with the defaults when missing), leaving any other; with
     * {@code bvi} it becomes the domain's BVI: its MAC is a static entry pointing at it, and frames the domain
     * sends it are routed (l2-output → ethernet-input's L3 path). A domain has at most one BVI. A non-zero
     * split-horizon group {@code shg}: nothing received on a member of the group is flooded to another member.
     */
    public void bridge(final Interface ifc, final int id, final boolean bvi, final int shg) throws CliException
    {
        checkId(id);
        final int sw = ifc.swIfIndex();
        final int existing = indexOf(id);
        if (bvi && existing >= 0 && bviByIndex[existing] >= 0 && bviByIndex[existing] != sw)
        {
            throw new CliException("bridge domain " + id + " already has a BVI interface");
        }
        int index = existing;
        if (index < 0)
        {
            index = create(id, DEFAULT_FLAGS, 0);
        }
        ensureInterface(sw);
        final int old = bdIndexBySwIf[sw];
        if (old == index)
        {
            setShg(sw, shg);
            setBvi(sw, index, bvi, ifc.mac());
            return;
        }
        leaveDomain(sw);
        final int[][] m = members.clone();
        final int[] cur = m[index];
        final int[] grown = Arrays.copyOf(cur, cur.length + 1);
        grown[cur.length] = sw;
        m[index] = grown;
        members = m;
        final int[] byIf = bdIndexBySwIf.clone();
        byIf[sw] = index;
        bdIndexBySwIf = byIf;
        setShg(sw, shg);
        setBvi(sw, index, bvi, ifc.mac());
    }

    private void setShg(final int sw, final int shg)
    {
        if (shgBySwIf[sw] != shg)
        {
            final int[] g = shgBySwIf.clone();
            g[sw] = shg;
            boolean any = false;
            for (final int x : g)
            {
                any |= x != 0;
            }
            shgBySwIf = g;
            anyShg = any;
        }
    }

    /** Whether any interface is in a split-horizon group (l2-fwd checks groups only then). */
    public boolean anyShg()
    {
        return anyShg;
    }

    private void setBvi(final int sw, final int index, final boolean bvi, final long mac)
    {
        final boolean was = bviByIndex[index] == sw;
        if (bvi == was)
        {
            return;
        }
        markBvi(sw, index, bvi);
        final long key = L2Fib.key(index, mac);
        if (bvi)
        {
            fib.insert(key, sw, System.nanoTime(), true);
        }
        else
        {
            fib.remove(key);
        }
    }

    /** Take {@code ifc} out of its domain back to L3; a no-op for an L3 interface. */
    public void l3(final Interface ifc)
    {
        final int sw = ifc.swIfIndex();
        if (!isL2(sw))
        {
            return;
        }
        leaveDomain(sw);
        final int[] byIf = bdIndexBySwIf.clone();
        byIf[sw] = NOT_L2;
        bdIndexBySwIf = byIf;
    }

    /**
     * Cross-connect {@code ifc} to {@code peer}: every frame received on {@code ifc} leaves on {@code peer}
     * unchanged (one direction, as VPP's {@code set interface l2 xconnect}), leaving any bridge domain first.
     */
    public void xconnect(final Interface ifc, final Interface peer) throws CliException
    {
        checkXconnect(ifc, peer);
        final int sw = ifc.swIfIndex();
        ensureInterface(Math.max(sw, peer.swIfIndex()));
        leaveDomain(sw);
        final int[] byIf = bdIndexBySwIf.clone();
        byIf[sw] = XCONNECT_BASE + peer.swIfIndex();
        bdIndexBySwIf = byIf;
    }

    /** What {@link #xconnect} refuses, for the CLI to check while parsing. */
    public static void checkXconnect(final Interface ifc, final Interface peer) throws CliException
    {
        if (ifc.swIfIndex() == peer.swIfIndex())
        {
            throw new CliException("cannot cross-connect " + ifc.name() + " to itself");
        }
    }

    /** Make {@code sw} domain {@code index}'s BVI, or stop it being one (published by copy for the readers). */
    private void markBvi(final int sw, final int index, final boolean bvi)
    {
        final boolean[] flagsBySw = bviBySwIf.clone();
        flagsBySw[sw] = bvi;
        bviBySwIf = flagsBySw;
        bviByIndex[index] = bvi ? sw : -1;
    }

    /** If {@code sw} is a member of a bridge domain (not L3, not cross-connected), take it out of it. */
    private void leaveDomain(final int sw)
    {
        final int index = bdIndexBySwIf[sw];
        if (index != NOT_L2 && index < XCONNECT_BASE)
        {
            leave(sw, index);
        }
        if (sw < shgBySwIf.length)
        {
            setShg(sw, 0);
        }
    }

    /** Drop {@code sw} from the members of {@code index} and flush the MACs that point at it there. */
    private void leave(final int sw, final int index)
    {
        if (bviByIndex[index] == sw)
        {
            markBvi(sw, index, false);
        }
        final int[][] m = members.clone();
        final int[] cur = m[index];
        final int[] shrunk = new int[cur.length - 1];
        int j = 0;
        for (final int s : cur)
        {
            if (s != sw)
            {
                shrunk[j++] = s;
            }
        }
        m[index] = shrunk;
        members = m;
        fib.removeIf((key, s, seen, st) -> s == sw && L2Fib.bdIndexOf(key) == index);
    }

    private void ensureInterface(final int sw)
    {
        if (sw >= bdIndexBySwIf.length)
        {
            final int[] a = Arrays.copyOf(bdIndexBySwIf, sw + 1);
            Arrays.fill(a, bdIndexBySwIf.length, a.length, NOT_L2);
            shgBySwIf = Arrays.copyOf(shgBySwIf, sw + 1);
            bviBySwIf = Arrays.copyOf(bviBySwIf, sw + 1);
            bdIndexBySwIf = a;
        }
    }

    /** Set or clear {@code flag} of domain {@code index}. */
    public void flag(final int index, final int flag, final boolean on)
    {
        final int[] f = flags.clone();
        f[index] = on ? f[index] | flag : f[index] & ~flag;
        flags = f;
    }

    public void macAge(final int index, final int minutes)
    {
        macAgeByIndex[index] = minutes;
    }

    /** {@code l2fib add}: {@code ifc} must be a member of domain {@code id}. */
    public void addMac(final long mac, final int id, final Interface ifc, final boolean staticEntry, final long nowNanos)
        throws CliException
    {
        checkId(id);
        final int index = indexOf(id);
        if (index < 0)
        {
            throw new CliException("bridge domain id " + id + " does not exist");
        }
        if (!isL2(ifc.swIfIndex()) || bdIndexBySwIf[ifc.swIfIndex()] != index)
        {
            throw new CliException("interface " + ifc.name() + " is not in bridge domain " + id);
        }
        if (fib.insert(L2Fib.key(index, mac), ifc.swIfIndex(), nowNanos, staticEntry) < 0)
        {
            throw new CliException("L2FIB MAC table is full (" + fib.limit() + " entries)");
        }
    }

    /**
     * {@code clear l2fib}: as VPP's l2fib_clear_table, every entry goes, static ones included (VPP frees and
     * re-creates the whole table; {@code l2fib flush-mac} is its way to flush learned entries only) — except
     * the BVIs' own entries, which belong to the BVI configuration.
     */
    public int clearFib()
    {
        // BVI entries stay: they are part of the BVI's configuration, not learned or added state.
        return fib.removeIf((key, sw, seen, st) -> !(st && bviByIndex[L2Fib.bdIndexOf(key)] == sw));
    }

    /**
     * The aging scan: remove learned entries of domains with a MAC age that were last seen more than that
     * many minutes before {@code nowNanos}. Static entries never age. Returns how many went. Main, at the barrier.
     */
    public int age(final long nowNanos)
    {
        final int[] ages = macAgeByIndex;
        return fib.removeIf((key, sw, seen, st) -> {
            final int age = ages[L2Fib.bdIndexOf(key)];
            return !st && age > 0 && nowNanos - seen > age * NANOS_PER_MINUTE;
        });
    }

    @Override
    public void interfaceDeleted(final Interface ifc)
    {
        l3(ifc);
        // Whoever was cross-connected to it goes back to L3 rather than sending to a deleted interface.
        final int[] byIf = bdIndexBySwIf.clone();
        boolean changed = false;
        for (int s = 0; s < byIf.length; s++)
        {
            if (byIf[s] == XCONNECT_BASE + ifc.swIfIndex())
            {
                byIf[s] = NOT_L2;
                changed = true;
            }
        }
        if (changed)
        {
            bdIndexBySwIf = byIf;
        }
    }
}
