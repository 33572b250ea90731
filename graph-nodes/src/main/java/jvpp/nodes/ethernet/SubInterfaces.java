package jvpp.nodes.ethernet;

import java.util.Arrays;

import jvpp.core.Jvpp;
import jvpp.core.cli.CliException;
import jvpp.core.iface.Interface;
import jvpp.core.iface.InterfaceDriver;
import jvpp.core.iface.InterfaceListener;
import jvpp.core.iface.InterfaceTable;
import jvpp.core.net.EthernetFlyweight;

/**
 * VLAN sub-interfaces (VPP's {@code create sub-interfaces}): {@code <if>.<id>} takes the frames that arrive on
 * {@code <if>} with one 802.1Q (or 802.1ad) tag of its VLAN. ethernet-input identifies the sub-interface and
 * pops the tag, so the frame continues as an untagged one received on the sub-interface, in L3 or in a bridge
 * domain alike; on output {@link VlanTagPushNode} (the sub-interface's tx node) pushes the tag back and sends
 * the frame on the parent.
 *
 * <p>Without {@code exact-match} a sub-interface also takes frames with further (inner) tags, popping only its
 * own; with it, only frames carrying exactly its one tag. Frames with a tag no sub-interface takes are dropped
 * as {@code unknown vlan} unless their interface is itself bridged (then they are bridged tag and all).
 *
 * <p>Thread: main changes it and publishes copy-on-write; the data plane reads the published arrays.
 */
public final class SubInterfaces implements InterfaceListener
{
    public static final int MAX_VLAN = 4095;
    /** Per-parent table size: 4096 VLANs of 802.1Q, then 4096 of 802.1ad. */
    private static final int TABLE = 2 * (MAX_VLAN + 1);
    private static final int[] NONE = new int[0];

    private final InterfaceTable interfaces;
    /** Parent sw_if_index → (tag kind × VLAN) → {@code sub << 1 | exact}, 0 for none; null rows for none at all. */
    private volatile int[][] tableBySup = new int[0][];
    /** Sub-interface sw_if_index → its tag as {@code tpid << 16 | vlan}, 0 for non-sub-interfaces. */
    private volatile int[] tagBySw = NONE;
    /** Sub-interface sw_if_index → the interface (for its admin state), null for others. */
    private volatile Interface[] subBySw = new Interface[0];

    private final InterfaceDriver driver = new InterfaceDriver()
    {
        @Override
        public String driverName()
        {
            return "sub-interface";
        }

        @Override
        public void describe(final Interface ifc, final StringBuilder out, final boolean verbose)
        {
            out.append("  ").append(SubInterfaces.this.describe(ifc)).append('\n');
        }
    };

    public SubInterfaces(final InterfaceTable interfaces)
    {
        this.interfaces = interfaces;
    }

    /**
     * Register this service ({@code vpp.service(SubInterfaces.class)}), its interface listener, its node
     * ({@code vlan-tag-push}) and its commands. Thread: main, at boot.
     */
    public void register(final Jvpp vpp)
    {
        vpp.registerService(SubInterfaces.class, this);
        vpp.interfaces().addListener(this);
        vpp.graph().register(VlanTagPushNode.registration(this));
        SubInterfaceCommands.register(vpp, this);
    }

    int[][] tableBySup()
    {
        return tableBySup;
    }

    int[] tagBySw()
    {
        return tagBySw;
    }

    Interface[] subBySw()
    {
        return subBySw;
    }

    /** Whether any sub-interface exists (ethernet-input skips the VLAN lookup otherwise). */
    boolean any()
    {
        return tableBySup.length > 0;
    }

    static int slot(final int tpid, final int vlan)
    {
        return (tpid == EthernetFlyweight.TYPE_DOT1AD ? MAX_VLAN + 1 : 0) + vlan;
    }

    /** Refuse what {@link #create} would refuse, without changing anything. */
    public void check(final Interface sup, final int id, final int tpid, final int vlan) throws CliException
    {
        if (sup.isSub())
        {
            throw new CliException(sup.name() + " is a sub-interface; sub-interfaces of sub-interfaces are not supported");
        }
        if (sup.txNode() == null || sup.mac() == 0)
        {
            throw new CliException(sup.name() + " is not an Ethernet interface");
        }
        if (interfaces.get(sup.name() + "." + id) != null)
        {
            throw new CliException("sub-interface " + sup.name() + "." + id + " already exists");
        }
        final int[][] t = tableBySup;
        final int sw = sup.swIfIndex();
        if (sw < t.length && t[sw] != null && t[sw][slot(tpid, vlan)] != 0)
        {
            throw new CliException((tpid == EthernetFlyweight.TYPE_DOT1AD ? "dot1ad" : "dot1q") + " vlan " + vlan
                + " is already used by " + interfaces.name(t[sw][slot(tpid, vlan)] >>> 1));
        }
    }

    /** Create {@code <sup>.<id>} for one tag of {@code tpid} (0x8100 or 0x88a8) and {@code vlan}. Main. */
    public Interface create(final Interface sup, final int id, final int tpid, final int vlan, final boolean exact)
        throws CliException
    {
        check(sup, id, tpid, vlan);
        final Interface sub = interfaces.createSub(sup, sup.name() + "." + id, driver, VlanTagPushNode.NAME);
        final int sw = sub.swIfIndex();
        final int supSw = sup.swIfIndex();
        final int[] tags = Arrays.copyOf(tagBySw, Math.max(tagBySw.length, sw + 1));
        tags[sw] = tpid << 16 | vlan;
        final Interface[] byS = Arrays.copyOf(subBySw, Math.max(subBySw.length, sw + 1));
        byS[sw] = sub;
        final int[][] t = Arrays.copyOf(tableBySup, Math.max(tableBySup.length, supSw + 1));
        t[supSw] = t[supSw] == null ? new int[TABLE] : t[supSw].clone();
        t[supSw][slot(tpid, vlan)] = sw << 1 | (exact ? 1 : 0);
        tagBySw = tags;
        subBySw = byS;
        tableBySup = t;
        return sub;
    }

    /** {@code dot1q 100 exact-match}, as {@code show hardware-interfaces} describes the sub-interface. */
    public String describe(final Interface sub)
    {
        final int sw = sub.swIfIndex();
        final int tag = sw < tagBySw.length ? tagBySw[sw] : 0;
        final int[][] t = tableBySup;
        final int supSw = sub.sup().swIfIndex();
        final boolean exact = supSw < t.length && t[supSw] != null
            && (t[supSw][slot(tag >>> 16, tag & 0xfff)] & 1) != 0;
        return "sub-interface of " + sub.sup().name() + ": " + ((tag >>> 16) == EthernetFlyweight.TYPE_DOT1AD
            ? "dot1ad" : "dot1q") + " " + (tag & 0xfff) + (exact ? " exact-match" : "");
    }

    /** A deleted sub-interface leaves the tables (also when its parent's deletion takes it). */
    @Override
    public void interfaceDeleted(final Interface ifc)
    {
        final int sw = ifc.swIfIndex();
        if (!ifc.isSub() || sw >= subBySw.length || subBySw[sw] != ifc)
        {
            return;
        }
        final int tag = tagBySw[sw];
        final int supSw = ifc.sup().swIfIndex();
        final int[][] t = tableBySup.clone();
        t[supSw] = t[supSw].clone();
        t[supSw][slot(tag >>> 16, tag & 0xfff)] = 0;
        final int[] tags = tagBySw.clone();
        tags[sw] = 0;
        final Interface[] byS = subBySw.clone();
        byS[sw] = null;
        tableBySup = t;
        tagBySw = tags;
        subBySw = byS;
    }
}
