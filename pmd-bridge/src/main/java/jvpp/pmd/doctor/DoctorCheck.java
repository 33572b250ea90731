package jvpp.pmd.doctor;

import java.util.List;

/**
 * One of the doctor's checks of the machine as a whole (hugepages, the devices, the uio driver and IOMMU, the
 * kernel interfaces vdevs use). {@link Doctor#check} runs them in the order their fixes should be applied.
 *
 * <p>Implementations are stateless: what one check leaves for a later one (the devices that need the uio
 * driver) goes into the {@link Inspection}. Thread: any.
 */
interface DoctorCheck
{
    /** Add this check's findings for {@code ins} to {@code out}. */
    void check(Inspection ins, List<Finding> out);
}
