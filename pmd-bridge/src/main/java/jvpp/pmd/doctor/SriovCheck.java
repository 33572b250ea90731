package jvpp.pmd.doctor;

import java.util.List;

/**
 * SR-IOV: a configured address that does not exist but is VF <i>n</i> of a PF (found from the PF's
 * {@code sriov_offset} and {@code sriov_stride}) needs {@code sriov_numvfs} raised to <i>n</i>+1; a configured PF
 * shows how many of its VFs are enabled.
 *
 * <p>Stateless. Thread: any.
 */
final class SriovCheck
{
    private SriovCheck()
    {
    }

    /** A device that is not there: maybe a VF of a PF that has too few VFs enabled. */
    static void missing(final HostView host, final String bdf, final List<Finding> out)
    {
        for (final PciDevice pf : host.pciDevices())
        {
            if (!pf.isSriovPf() || pf.sriovOffset() < 0 || pf.sriovStride() < 0)
            {
                continue;
            }
            for (int vf = 0; vf < pf.sriovTotalVfs(); vf++)
            {
                if (bdf.equals(vfAddress(pf, vf)))
                {
                    final String file = "/sys/bus/pci/devices/" + pf.bdf() + "/sriov_numvfs";
                    final int want = vf + 1;
                    out.add(Finding.error(bdf + " does not exist: it is VF " + vf + " of " + pf.label() + ", which has "
                        + "sriov_numvfs " + Math.max(pf.sriovNumVfs(), 0) + " of sriov_totalvfs " + pf.sriovTotalVfs(),
                        pf.sriovNumVfs() > 0 ? "echo 0 > " + file + " && echo " + want + " > " + file
                            : "echo " + want + " > " + file));
                    return;
                }
            }
        }
        out.add(Finding.error(bdf + ": no such PCI device", "lspci -D -d ::0200"));
    }

    /** A PF's VF counts; nothing for a device that is no PF. */
    static void physicalFunction(final PciDevice d, final List<Finding> out)
    {
        if (d.isSriovPf())
        {
            out.add(Finding.ok(d.label() + " is an SR-IOV PF: sriov_numvfs " + Math.max(d.sriovNumVfs(), 0)
                + " of sriov_totalvfs " + d.sriovTotalVfs()));
        }
    }

    /** The address of VF {@code vf}: routing id = PF's + offset + vf * stride (PCIe SR-IOV). */
    static String vfAddress(final PciDevice pf, final int vf)
    {
        final String[] p = pf.bdf().split("[:.]");
        final int rid = (Integer.parseInt(p[1], 16) << 8) | (Integer.parseInt(p[2], 16) << 3) | Integer.parseInt(p[3], 16);
        final int v = rid + pf.sriovOffset() + vf * pf.sriovStride();
        return String.format("%s:%02x:%02x.%x", p[0], (v >> 8) & 0xff, (v >> 3) & 0x1f, v & 0x7);
    }
}
