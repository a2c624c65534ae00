package kensho

// Written by hand and copied into the generated package by `cargo xtask sdk`.

// EachPage walks a Kensho list to its end: it calls fetch with a nil cursor for the first page
// and then with each page's next_cursor, until a page's next_cursor is null or empty, or fetch
// fails. fetch requests one page (setting the cursor when it is not nil), handles its items
// and returns its next_cursor, for example:
//
//	err := kensho.EachPage(func(cursor *string) (*string, error) {
//		request := api.BrowseAPI.ListTags(ctx).Limit(50)
//		if cursor != nil {
//			request = request.Cursor(*cursor)
//		}
//		page, _, err := request.Execute()
//		if err != nil {
//			return nil, err
//		}
//		handle(page.Data)
//		return page.NextCursor.Get(), nil
//	})
func EachPage(fetch func(cursor *string) (nextCursor *string, err error)) error {
	var cursor *string
	for {
		next, err := fetch(cursor)
		if err != nil {
			return err
		}
		if next == nil || *next == "" {
			return nil
		}
		cursor = next
	}
}
