/** The opencl backend: so far only its provider, which reports it unavailable and why. */
package org.neurite.opencl;
