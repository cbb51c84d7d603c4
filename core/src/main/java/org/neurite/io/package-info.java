/** File formats with no dependencies: a small JSON reader/writer and the safetensors layout. */
package org.neurite.io;
