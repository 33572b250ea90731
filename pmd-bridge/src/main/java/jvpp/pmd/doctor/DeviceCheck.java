package jvpp.pmd.doctor;

import java.util.List;

/**
 * A check of how one PCI device can be handed to DPDK, for the kind of device it {@link #takes} (MANA, mlx4/mlx5,
 * or any device DPDK binds to a uio/vfio driver). {@link DeviceChecks} gives each device to the first that takes it.
 *
 * <p>Stateless. Thread: any.
 */
interface DeviceCheck
{
    /** Whether this check is the one for {@code device}. */
    boolean takes(PciDevice device);

    /** Add the findings for {@code target}, whose device is present and taken by this check. */
    void check(Inspection ins, Inspection.Target target, List<Finding> out);
}
