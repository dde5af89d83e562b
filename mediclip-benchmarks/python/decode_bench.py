#!/usr/bin/env python3
"""Decode throughput of pydicom and nibabel on the cases DecodeBench times (one round).

Usage: decode_bench.py REPS NAME=PATH [NAME=PATH ...]
A PATH that is a folder is a DICOM series: every file is read with pydicom.dcmread, its pixel_array
rescaled to float32 modality values, and the slices sorted by ImagePositionPatient (what
MedicalImages.read does). A .nii/.nii.gz PATH is read with nibabel: get_fdata(dtype=float32) of the
whole volume. Prints one line per case: NAME slices seconds_per_read (the best of REPS reads).
"""
import glob
import os
import sys
import time
import warnings

import numpy as np

# pydicom warns on every JPEG 2000 frame that BitsStored (12) differs from the code stream (16)
warnings.filterwarnings("ignore")


def read_dicom_series(folder):
    import pydicom

    slices = []
    for f in glob.glob(os.path.join(folder, "*")):
        ds = pydicom.dcmread(f)
        arr = ds.pixel_array.astype(np.float32) * np.float32(float(ds.RescaleSlope)) + np.float32(
            float(ds.RescaleIntercept))
        slices.append((float(ds.ImagePositionPatient[2]), arr))
    slices.sort(key=lambda s: s[0])
    return np.stack([s[1] for s in slices])


def read_nifti(path):
    import nibabel as nib

    return nib.load(path).get_fdata(dtype=np.float32)


def main():
    reps = int(sys.argv[1])
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        read = read_dicom_series if os.path.isdir(path) else read_nifti
        vol = read(path)  # warm-up (imports, handler discovery)
        n = vol.shape[0] if os.path.isdir(path) else vol.shape[2]
        best = float("inf")
        for _ in range(reps):
            t0 = time.perf_counter()
            read(path)
            best = min(best, time.perf_counter() - t0)
        print(f"{name} {n} {best:.6f}", flush=True)


if __name__ == "__main__":
    main()
