package jvpp.pmd.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a configuration needs from the machine, as the {@code dpdk { }} section says it: the PCI devices it
 * names ({@code dev 0000:02:00.1}), its vdevs ({@code net_af_packet0,iface=eth1}, MANA's
 * {@code 7870:00:00.0,mac=00:0d:3a:76:3b:d0}), kernel interfaces it uses otherwise, the hugepage memory it
 * needs (0 with {@code no-huge}), {@code no-pci} and the {@code uio-driver} it binds devices to.
 *
 * <p>Built once (by the integrator from {@code dpdk { }}, or by tests) and then only read. Thread: any.
 */
public final class DoctorRequest
{
    /** The driver devices are bound to when the configuration does not say ({@code uio-driver}). */
    public static final String DEFAULT_UIO_DRIVER = "vfio-pci";

    private static final DoctorRequest EMPTY = builder().build();

    private final List<String> pciDevices;
    private final List<String> vdevs;
    private final List<String> kernelInterfaces;
    private final long hugepageBytes;
    private final boolean noHuge;
    private final boolean noPci;
    private final String uioDriver;

    /** One {@code vdev} argument: the driver (or, for MANA, bus address) and its {@code key=value} arguments. */
    public record Vdev(String name, Map<String, String> args)
    {
        public static Vdev parse(final String spec)
        {
            final String[] parts = spec.trim().split(",");
            final Map<String, String> args = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++)
            {
                final int eq = parts[i].indexOf('=');
                if (eq > 0)
                {
                    args.put(parts[i].substring(0, eq).trim(), parts[i].substring(eq + 1).trim());
                }
                else if (!parts[i].isBlank())
                {
                    args.put(parts[i].trim(), "");
                }
            }
            return new Vdev(parts[0].trim(), Map.copyOf(args));
        }

        /** MANA's selection by bus address and MAC ({@code <bus>,mac=<mac>}) rather than a {@code net_*} vdev. */
        public boolean isPciBus()
        {
            return HostView.isBdf(name);
        }

        /** The kernel interface an {@code iface=} argument names, or null. */
        public String iface()
        {
            return args.get("iface");
        }

        /** Whether this vdev creates its own kernel interface instead of using one ({@code net_tap}). */
        public boolean createsInterface()
        {
            return name.startsWith("net_tap") || name.startsWith("net_tun");
        }
    }

    private DoctorRequest(final Builder b)
    {
        this.pciDevices = List.copyOf(b.pciDevices);
        this.vdevs = List.copyOf(b.vdevs);
        this.kernelInterfaces = List.copyOf(b.kernelInterfaces);
        this.hugepageBytes = b.hugepageBytes;
        this.noHuge = b.noHuge;
        this.noPci = b.noPci;
        this.uioDriver = b.uioDriver;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** A configuration that names nothing: the doctor surveys the machine. */
    public static DoctorRequest empty()
    {
        return EMPTY;
    }

    /** PCI addresses, with their domain ({@code 0000:02:00.1}). */
    public List<String> pciDevices()
    {
        return pciDevices;
    }

    public List<String> vdevs()
    {
        return vdevs;
    }

    public List<Vdev> parsedVdevs()
    {
        final List<Vdev> out = new ArrayList<>();
        for (final String v : vdevs)
        {
            out.add(Vdev.parse(v));
        }
        return out;
    }

    /** Interfaces named directly, and those the vdevs use ({@code iface=}), in order, each once. */
    public List<String> kernelInterfaces()
    {
        final Set<String> out = new LinkedHashSet<>(kernelInterfaces);
        for (final Vdev v : parsedVdevs())
        {
            if (v.iface() != null && !v.createsInterface())
            {
                out.add(v.iface());
            }
        }
        return List.copyOf(out);
    }

    /** Hugepage memory needed, in bytes; 0 with {@code no-huge}. */
    public long hugepageBytes()
    {
        return noHuge ? 0 : hugepageBytes;
    }

    public boolean noHuge()
    {
        return noHuge;
    }

    public boolean noPci()
    {
        return noPci;
    }

    public String uioDriver()
    {
        return uioDriver;
    }

    /** Whether the configuration names no device at all (then the doctor surveys the machine instead). */
    public boolean namesNoDevice()
    {
        return pciDevices.isEmpty() && vdevs.isEmpty() && kernelInterfaces.isEmpty();
    }

    @Override
    public String toString()
    {
        return "DoctorRequest{pci=" + pciDevices + ", vdevs=" + vdevs + ", interfaces=" + kernelInterfaces
            + ", hugepageBytes=" + hugepageBytes() + ", noHuge=" + noHuge + ", noPci=" + noPci + ", uioDriver=" + uioDriver
            + "}";
    }

    /** Fluent setters; {@link #build()} copies. Thread: the one building. */
    public static final class Builder
    {
        private final List<String> pciDevices = new ArrayList<>();
        private final List<String> vdevs = new ArrayList<>();
        private final List<String> kernelInterfaces = new ArrayList<>();
        private long hugepageBytes;
        private boolean noHuge;
        private boolean noPci;
        private String uioDriver = DEFAULT_UIO_DRIVER;

        private Builder()
        {
        }

        /** {@code dev <bdf>}; {@code 02:00.1} gets domain {@code 0000}. */
        public Builder pciDevice(final String bdf)
        {
            if (!HostView.isBdf(bdf))
            {
                throw new IllegalArgumentException("not a PCI address: " + bdf);
            }
            pciDevices.add(HostView.normalizeBdf(bdf));
            return this;
        }

        /** {@code vdev <spec>}, e.g. {@code net_af_packet0,iface=eth1} or {@code 7870:00:00.0,mac=00:0d:3a:76:3b:d0}. */
        public Builder vdev(final String spec)
        {
            vdevs.add(spec.trim());
            return this;
        }

        /** A kernel interface the configuration uses other than through a vdev's {@code iface=}. */
        public Builder kernelInterface(final String name)
        {
            kernelInterfaces.add(name);
            return this;
        }

        public Builder hugepageBytes(final long bytes)
        {
            if (bytes < 0)
            {
                throw new IllegalArgumentException("hugepage bytes < 0: " + bytes);
            }
            this.hugepageBytes = bytes;
            return this;
        }

        public Builder noHuge(final boolean noHuge)
        {
            this.noHuge = noHuge;
            return this;
        }

        public Builder noPci(final boolean noPci)
        {
            this.noPci = noPci;
            return this;
        }

        /** {@code uio-driver}: {@code vfio-pci} (default), {@code uio_pci_generic} or {@code igb_uio}. */
        public Builder uioDriver(final String driver)
        {
            this.uioDriver = driver;
            return this;
        }

        public DoctorRequest build()
        {
            return new DoctorRequest(this);
        }
    }
}
