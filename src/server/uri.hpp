#pragma once
// file:// URIs and paths (RFC 3986 percent-encoding), as editors send them.
#include <string>
#include <string_view>

namespace ecolint::server {

// The path of a file: URI ("file:///a/b%20c.py" -> "/a/b c.py"); empty for other schemes.
std::string path_of_uri(std::string_view uri);
// The file: URI of an absolute path.
std::string uri_of_path(std::string_view path);

}  // namespace ecolint::server
