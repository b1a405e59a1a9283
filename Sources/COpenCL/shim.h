// The OpenCL API as Glassbox uses it: version 1.2, which every current driver
// (NVIDIA, AMD, Intel, PoCL) provides.
#ifndef GLASSBOX_COPENCL_SHIM_H
#define GLASSBOX_COPENCL_SHIM_H
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#endif
