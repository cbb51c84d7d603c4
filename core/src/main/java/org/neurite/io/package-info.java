/** File formats with no dependencies: the safetensors layout (its JSON header read by Neurite's internal reader). */
package org.neurite.io;
