import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// `.openapi()` names a schema as an OpenAPI component and carries parameter metadata; it has to be
// installed on the zod prototype before any schema of this package is built, so every module here
// imports `z` from this file. Installing it twice is a no-op.
extendZodWithOpenApi(z);

export { z };
