// The Go SDK against a live Kensho (KENSHO_URL, its catalog synced from the Crunchyroll
// simulator): search, detail, a list paged to its end, batch, log in and get a stream, and a 404
// surfacing as a typed Problem carrying the problem fields.
package sdkgo

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	kensho "github.com/kensho/kensho-go"
)

func client(t *testing.T) *kensho.APIClient {
	t.Helper()
	configuration := kensho.NewConfiguration()
	configuration.Servers = kensho.ServerConfigurations{{URL: os.Getenv("KENSHO_URL")}}
	return kensho.NewAPIClient(configuration)
}

func firstHitID(t *testing.T, api *kensho.APIClient, query string) string {
	t.Helper()
	hits, _, err := api.SearchAPI.Search(context.Background()).Q(query).Execute()
	if err != nil || len(hits.Data) == 0 {
		t.Fatalf("search %q: %v", query, err)
	}
	return hits.Data[0].GetAnime().Id
}

func TestSearchThenDetailReturnsTheAnime(t *testing.T) {
	api := client(t)
	id := firstHitID(t, api, "bebop")

	anime, _, err := api.AnimeAPI.GetAnime(context.Background(), id).Execute()

	if err != nil {
		t.Fatalf("detail: %v", err)
	}
	if anime.Id != id || anime.Title != "Cowboy Bebop" {
		t.Fatalf("unexpected anime %s %q", anime.Id, anime.Title)
	}
}

func TestAListPagesThroughToItsEnd(t *testing.T) {
	api := client(t)
	seen := map[string]bool{}
	pages := 0

	err := kensho.EachPage(func(cursor *string) (*string, error) {
		request := api.BrowseAPI.ListTags(context.Background()).Limit(25)
		if cursor != nil {
			request = request.Cursor(*cursor)
		}
		page, _, err := request.Execute()
		if err != nil {
			return nil, err
		}
		for _, tag := range page.Data {
			if seen[tag.Name] {
				t.Fatalf("%s appeared on two pages", tag.Name)
			}
			seen[tag.Name] = true
		}
		pages++
		return page.NextCursor.Get(), nil
	})
	if err != nil {
		t.Fatalf("page %d: %v", pages, err)
	}

	if pages < 2 {
		t.Fatalf("only %d page(s)", pages)
	}
}

func TestBatchAnswersEachIDFoundOrNot(t *testing.T) {
	api := client(t)
	id := firstHitID(t, api, "bebop")

	answer, _, err := api.AnimeAPI.BatchGetAnime(context.Background()).
		BatchRequest(*kensho.NewBatchRequest([]string{id, "0000000000000000"})).Execute()

	if err != nil {
		t.Fatalf("batch: %v", err)
	}
	if answer.Data[0].Status != kensho.BATCHSTATUS_FOUND || answer.Data[1].Status != kensho.BATCHSTATUS_NOT_FOUND {
		t.Fatalf("unexpected statuses %v %v", answer.Data[0].Status, answer.Data[1].Status)
	}
}

func TestAPremiumUserLogsInGetsAStreamAndReleasesIt(t *testing.T) {
	api := client(t)
	id := firstHitID(t, api, "bebop")
	tokens, _, err := api.AuthAPI.Login(context.Background()).
		LoginRequest(*kensho.NewLoginRequest("premium@kensho.test", "premium-demo")).Execute()
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	authenticated := context.WithValue(context.Background(), kensho.ContextAccessToken, tokens.AccessToken)

	stream, _, err := api.StreamAPI.GetStream(authenticated, id, 5).Execute()
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	released, err := api.StreamAPI.ReleaseStream(authenticated, stream.StreamToken).Execute()

	if !strings.HasPrefix(stream.ManifestUrl, "http") {
		t.Fatalf("manifest %q", stream.ManifestUrl)
	}
	if err != nil || released.StatusCode != 204 {
		t.Fatalf("release: %v", err)
	}
}

func TestAnUnknownAnimeIsATypedProblem(t *testing.T) {
	api := client(t)

	_, _, err := api.AnimeAPI.GetAnime(context.Background(), "0000000000000000").Execute()

	var apiError *kensho.GenericOpenAPIError
	if !errors.As(err, &apiError) {
		t.Fatalf("not an API error: %v", err)
	}
	problem, isProblem := apiError.Model().(kensho.Problem)
	if !isProblem {
		t.Fatalf("not a problem: %#v", apiError.Model())
	}
	if problem.Status != 404 || problem.Instance != "/api/v1/anime/0000000000000000" ||
		!strings.HasPrefix(problem.Type, "https://kensho.dev/problems/") {
		t.Fatalf("unexpected problem %#v", problem)
	}
}
