/** JSON-P through one provider looked up once, for code on hot paths (request handling, job handlers). */
package com.advwell.platform.json;
