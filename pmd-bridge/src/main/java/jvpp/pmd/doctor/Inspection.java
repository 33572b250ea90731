package jvpp.pmd.doctor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one run of {@link Doctor#check} looks at: the machine, the request, the PCI devices it names (or, surveying,
 * every network device the machine has), how bad a gap is, and the devices the checks found to need the uio driver.
 *
 * <p>Thread: the one running the checks (not shared).
 */
final class Inspection
{
    /** A PCI device the configuration takes (or, surveying, that the machine has), and the MAC it selects. */
    record Target(String bdf, PciDevice device, String mac)
    {
    }

    private final HostView host;
    private final DoctorRequest request;
    private final List<Target> targets;
    private final Set<String> uioNeeded = new LinkedHashSet<>();

    private Inspection(final HostView host, final DoctorRequest request, final List<Target> targets)
    {
        this.host = host;
        this.request = request;
        this.targets = targets;
    }

    /**
     * The inspection of {@code host} for {@code req}; a finding about the request itself (dev entries that
     * {@code no-pci} makes ignored) goes to {@code out}.
     */
    static Inspection of(final HostView host, final DoctorRequest req, final List<Finding> out)
    {
        return new Inspection(host, req, targets(host, req, out));
    }

    HostView host()
    {
        return host;
    }

    DoctorRequest request()
    {
        return request;
    }

    List<Target> targets()
    {
        return targets;
    }

    /** The request names no device: the doctor surveys the machine, and nothing is worse than a WARN. */
    boolean survey()
    {
        return request.namesNoDevice();
    }

    /** How bad what stops DPDK is: {@code WARN} when surveying, else {@code ERROR}. */
    Severity gap()
    {
        return survey() ? Severity.WARN : Severity.ERROR;
    }

    /** The devices (bdf) that the uio driver must take, in the order they were found. */
    Set<String> uioNeeded()
    {
        return uioNeeded;
    }

    private static List<Target> targets(final HostView host, final DoctorRequest req, final List<Finding> out)
    {
        final List<Target> targets = new ArrayList<>();
        final Set<String> seen = new TreeSet<>();
        if (req.namesNoDevice())
        {
            if (!req.noPci())
            {
                for (final PciDevice d : host.pciDevices())
                {
                    if (d.isNetwork() && seen.add(d.bdf()))
                    {
                        targets.add(new Target(d.bdf(), d, null));
                    }
                }
            }
            return targets;
        }
        if (req.noPci() && !req.pciDevices().isEmpty())
        {
            out.add(Finding.warn("dpdk: no-pci is set, so the " + req.pciDevices().size() + " dev entries are ignored",
                "remove no-pci from dpdk { } or the dev entries"));
        }
        if (!req.noPci())
        {
            for (final String bdf : req.pciDevices())
            {
                if (seen.add(bdf))
                {
                    targets.add(new Target(bdf, host.pciDevice(bdf), null));
                }
            }
        }
        for (final DoctorRequest.Vdev v : req.parsedVdevs())
        {
            if (v.isPciBus())
            {
                final String bdf = HostView.normalizeBdf(v.name());
                final String mac = v.args().get("mac");
                targets.add(new Target(bdf, host.pciDevice(bdf), mac == null ? null : mac.toLowerCase()));
            }
        }
        return targets;
    }
}
