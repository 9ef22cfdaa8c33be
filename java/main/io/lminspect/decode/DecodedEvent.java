package io.lminspect.decode;

import java.util.List;

/**
 * A kernel event with what lminspect worked out: the error in words, the file
 * offset of ip and how it was found, and (with the binary) symbol and bytes.
 */
public record DecodedEvent(KernelEvent event, String meaning, ErrorCodeExplainer.PageFault pageFault, Long moduleOffset,
                           String offsetHow, String binary, String binaryHow, String debugFile, String buildId, String symbol,
                           Long symbolOffset, String fileBytes, Boolean codeMatchesFile, String liveProcess,
                           List<String> notes) {}
