/** Dependency-free PNG line charts (training curves, learning-rate sweeps, benchmark plots). */
package org.neurite.plot;
