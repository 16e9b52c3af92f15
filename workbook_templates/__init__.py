"""Template workbooks, refresh, batch generation and the suanli command line."""
