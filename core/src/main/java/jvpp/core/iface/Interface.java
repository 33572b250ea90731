package jvpp.core.iface;

/**
 * A software interface (VPP's sw_if_index) and the hardware facts behind it.
 *
 * <p>Thread: main changes it; the data plane reads {@link #adminUp()} and {@link #linkUp()} racily,
 * which is what they are for (an interface going down drops what is in flight).
 */
public final class Interface
{
    /** {@link #txOffloads()} bit: the tx path sends multi-buffer frames (buffer chains) whole. */
    public static final int TX_CHAINS = 1;
    /** {@link #txOffloads()} bit: the device takes partial L4 checksums ({@code CHECKSUM_PARTIAL}) and completes them. */
    public static final int TX_CSUM = 2;
    /** {@link #txOffloads()} bit: the device takes GSO super-frames and segments them itself (TSO). */
    public static final int TX_GSO = 4;
    /** {@link #maxMtu()} of an interface whose driver says nothing: the largest MTU jvpp took before drivers said. */
    public static final int DEFAULT_MAX_MTU = 9216;
    /** The largest MTU there is: an IPv4 datagram's 16-bit total length. */
    public static final int MAX_MTU = 65535;

    private final int swIfIndex;
    private final String name;
    private final InterfaceDriver driver;
    private final String txNode;
    /** The interface a sub-interface is carved from (VPP's sup_sw_if_index), null for a hardware interface. */
    private final Interface sup;
    private volatile boolean adminUp;
    private volatile boolean linkUp;
    private volatile String linkDownReason = "";
    private volatile int linkDownEvents;
    private long mac;
    private final int[] mtu = {9000, 0, 0, 0};
    private volatile int txOffloads;
    private int maxMtu = DEFAULT_MAX_MTU;

    Interface(final int swIfIndex, final String name, final InterfaceDriver driver, final long mac, final String txNode,
        final Interface sup)
    {
        this.swIfIndex = swIfIndex;
        this.name = name;
        this.driver = driver;
        this.mac = mac;
        this.txNode = txNode;
        this.sup = sup;
    }

    /** The interface this sub-interface is carved from, or null when this is not a sub-interface. */
    public Interface sup()
    {
        return sup;
    }

    /**
     * What the tx path takes beyond single-buffer frames with complete checksums: {@link #TX_CHAINS},
     * {@link #TX_CSUM}, {@link #TX_GSO} (none unless the driver said so). A sub-interface transmits through its
     * parent with a tag pushed: it takes chains when the parent does, and no offload (a GSO frame's segments would
     * need the tag). Thread: main writes; the data plane reads racily.
     */
    public int txOffloads()
    {
        return sup != null ? sup.txOffloads() & TX_CHAINS : txOffloads;
    }

    /** The driver says what its tx path takes ({@link #txOffloads()}). Thread: main. */
    public void txOffloads(final int bits)
    {
        txOffloads = bits;
    }

    public boolean isSub()
    {
        return sup != null;
    }

    public int swIfIndex()
    {
        return swIfIndex;
    }

    public String name()
    {
        return name;
    }

    public InterfaceDriver driver()
    {
        return driver;
    }

    /** The node that transmits on this interface ({@code <name>-tx}), or null when it cannot transmit. */
    public String txNode()
    {
        return txNode;
    }

    public boolean adminUp()
    {
        return adminUp;
    }

    void adminUp(final boolean up)
    {
        adminUp = up;
    }

    public boolean linkUp()
    {
        return linkUp;
    }

    /** Thread: any (a driver that notices its device go away). */
    public synchronized void linkUp(final boolean up, final String reason)
    {
        if (linkUp && !up)
        {
            linkDownEvents++;
        }
        linkUp = up;
        linkDownReason = up ? "" : reason;
    }

    /** How many times the link went down (a kernel device removed, carrier lost...). */
    public int linkDownEvents()
    {
        return linkDownEvents;
    }

    public String linkDownReason()
    {
        return linkDownReason;
    }

    /** Up for forwarding: admin up and link up, and for a sub-interface its parent up too. */
    public boolean up()
    {
        return adminUp && linkUp && (sup == null || sup.up());
    }

    public long mac()
    {
        return mac;
    }

    public void mac(final long mac)
    {
        this.mac = mac;
    }

    /** MTUs as {@code show interface} prints them: L3, IP4, IP6, MPLS (0 means "same as L3"). */
    public int[] mtu()
    {
        return mtu;
    }

    public void l3Mtu(final int value)
    {
        mtu[0] = value;
    }

    public int l3Mtu()
    {
        return mtu[0];
    }

    /**
     * The largest L3 MTU the driver can receive and send on this interface: {@code set interface mtu} refuses more,
     * naming it. A sub-interface has its parent's. Thread: main.
     */
    public int maxMtu()
    {
        return sup != null ? sup.maxMtu() : maxMtu;
    }

    /**
     * The driver says the largest MTU it can do ({@link #maxMtu()}); an MTU above it comes down to it, so that the
     * interface never advertises what it cannot receive. Thread: main.
     */
    public void maxMtu(final int value)
    {
        maxMtu = value;
        if (mtu[0] > value)
        {
            mtu[0] = value;
        }
    }

    @Override
    public String toString()
    {
        return name;
    }
}
