#!/usr/bin/python3
"""Loads the .npy file written by NpyFileTests.Writes_the_file_for_the_numpy_check_script with numpy.

    dotnet test tests/CnnLens.Tests -c Release --filter "FullyQualifiedName~NpyFileTests"
    /usr/bin/python3 tools/check_npy_writer_output.py [path/to/npy-writer-check.npy]
"""
import os
import sys

import numpy as np

DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "CnnLens.Tests",
                       "bin", "Release", "net10.0", "npy-writer-check.npy")
path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
with open(path, "rb") as f:
    version = np.lib.format.read_magic(f)
    shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
    header_end = f.tell()
assert version == (1, 0) and header_end % 64 == 0, (version, header_end)
arr = np.load(path, allow_pickle=False)
expected = (np.arange(24, dtype=np.float32) * 0.5 - 3).reshape(2, 3, 4)
assert arr.dtype == np.dtype("<f4") and not fortran and arr.shape == (2, 3, 4)
assert np.array_equal(arr, expected)
print("OK:", path, "loads with numpy", np.__version__, "as float32", arr.shape, "with the expected values")
